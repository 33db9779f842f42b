import { deferred } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { eventually } from './support/landscape.js';
import { startPipeLandscape } from './support/pipe-server.js';
import { readEvents } from './support/read-events.js';

describe('pipeToSSE', () => {
  it('writes one reply event per reply, then an end event, as text/event-stream', async () => {
    await using landscape = await startPipeLandscape({
      count: async (_payload, { reply }) => {
        for (let step = 1; step <= 3; step += 1) await reply.progress('counting', { step });
        await reply('counted', { steps: 3 });
      },
    });

    const response = await fetch(`${landscape.url}/count`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const events = await readEvents(response.body!).rest();

    expect(events.map((event) => [event.event, event.id])).toEqual([
      ['reply', '0'],
      ['reply', '1'],
      ['reply', '2'],
      ['reply', '3'],
      ['end', '4'],
    ]);
    expect(events[0]?.data).toMatchObject({
      outcome: 'counting',
      payload: { step: 1 },
      sender: 'backend',
      final: false,
    });
    expect(events[3]?.data).toMatchObject({ outcome: 'counted', payload: { steps: 3 }, final: true });
    expect(events[4]?.data).toEqual({ replies: 4 });
    await eventually(() => landscape.results.length === 1);
    expect(landscape.results[0]).toEqual({ ending: 'complete', replies: 4 });
    expect(landscape.web.stats.pendingReplyStreams).toBe(0);
  });

  it('ends with an error event carrying the code when the receiver fails', async () => {
    await using landscape = await startPipeLandscape({
      explode: () => {
        throw new Error('disk on fire');
      },
    });

    const events = await readEvents((await fetch(`${landscape.url}/explode`)).body!).rest();

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'error',
      id: '0',
      data: { code: 'EXORELAY_REMOTE', remoteCode: 'HANDLER_FAILED' },
    });
    expect((events[0]!.data as { message: string }).message).not.toContain('disk on fire');
    await eventually(() => landscape.results.length === 1);
    expect(landscape.results[0]).toMatchObject({ ending: 'failed', replies: 0, error: { code: 'EXORELAY_REMOTE' } });
  });

  it('ends with an error event when the stream times out, after the replies that came', async () => {
    await using landscape = await startPipeLandscape({
      stall: (_payload, { reply }) => reply.progress('started'),
    });

    const events = await readEvents((await fetch(`${landscape.url}/stall?timeout=50`)).body!).rest();

    expect(events.map((event) => event.event)).toEqual(['reply', 'error']);
    expect(events[1]?.data).toMatchObject({ code: 'EXORELAY_TIMEOUT' });
  });

  it('cancels the reply stream when the browser disconnects, dropping the relay state', async () => {
    const release = deferred<void>();
    await using landscape = await startPipeLandscape({
      hang: async (_payload, { reply }) => {
        await reply.progress('started');
        await release.promise;
        await reply('done');
      },
    });
    const browser = new AbortController();

    const response = await fetch(`${landscape.url}/hang`, { signal: browser.signal });
    const first = await readEvents(response.body!).next();
    expect(first).toMatchObject({ event: 'reply', data: { outcome: 'started' } });
    expect(landscape.web.stats.pendingReplyStreams).toBe(1);
    browser.abort();

    await eventually(() => landscape.results.length === 1);
    expect(landscape.results[0]).toEqual({ ending: 'disconnected', replies: 1 });
    expect(landscape.web.stats.pendingReplyStreams).toBe(0);
    release.resolve();
  });

  it('keeps an idle stream alive with heartbeat comments', async () => {
    const release = deferred<void>();
    await using landscape = await startPipeLandscape(
      {
        slow: async (_payload, { reply }) => {
          await release.promise;
          await reply('done');
        },
      },
      { heartbeatInterval: 10 },
    );

    const events = readEvents((await fetch(`${landscape.url}/slow`)).body!);
    expect(await events.nextComment()).toBe('heartbeat');
    release.resolve();

    expect((await events.rest()).map((event) => event.event)).toEqual(['reply', 'end']);
  });
});
