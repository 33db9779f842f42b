import { deferred } from '@exorelay/conformance';
import { startExoCom } from 'exocom';
import { describe, expect, it } from 'vitest';
import { type PipeResult, toSSEResponse } from '../src/index.js';
import { eventually, type Handlers, startService } from './support/landscape.js';
import { readEvents } from './support/read-events.js';

/** ExoCom, a `backend` service with `handlers`, and the `web` relay whose streams become Responses. */
async function startRelays(handlers: Handlers) {
  const bus = await startExoCom({ port: 0 });
  const backend = await startService(bus, 'backend', handlers);
  const web = await startService(bus, 'web');
  return Object.assign(web, {
    async [Symbol.asyncDispose]() {
      await Promise.all([web.close(), backend.close()]);
      await bus.close();
    },
  });
}

describe('toSSEResponse', () => {
  it('answers with a text/event-stream Response: reply events, then the end event', async () => {
    await using web = await startRelays({
      copy: async (_payload, { reply }) => {
        await reply.progress('copying', { percent: 50 });
        await reply('copied', { bytes: 10 });
      },
    });
    const ended: PipeResult[] = [];

    const response = toSSEResponse(web.send('copy'), { onEnd: (result) => ended.push(result) });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = await readEvents(response.body!).rest();
    expect(events.map((event) => event.event)).toEqual(['reply', 'reply', 'end']);
    expect(events[1]?.data).toMatchObject({ outcome: 'copied', payload: { bytes: 10 }, final: true });
    expect(ended).toEqual([{ ending: 'complete', replies: 2 }]);
  });

  it('writes the error event when the stream fails', async () => {
    await using web = await startRelays({});

    const events = await readEvents(toSSEResponse(web.send('nobody.handles.this')).body!).rest();

    expect(events).toEqual([
      { event: 'error', id: '0', data: expect.objectContaining({ code: 'EXORELAY_NO_RESPONDERS' }) },
    ]);
  });

  it('cancels the reply stream when the body is cancelled', async () => {
    const release = deferred<void>();
    await using web = await startRelays({
      hang: async (_payload, { reply }) => {
        await reply.progress('started');
        await release.promise;
      },
    });
    const ended: PipeResult[] = [];
    const response = toSSEResponse(web.send('hang'), { onEnd: (result) => ended.push(result) });
    const reader = response.body!.getReader();
    await reader.read();
    expect(web.stats.pendingReplyStreams).toBe(1);

    await reader.cancel();

    expect(ended).toEqual([{ ending: 'disconnected', replies: 1 }]);
    expect(web.stats.pendingReplyStreams).toBe(0);
    release.resolve();
  });

  it('cancels the reply stream and ends the body when the signal aborts', async () => {
    const release = deferred<void>();
    await using web = await startRelays({
      hang: async (_payload, { reply }) => {
        await reply.progress('started');
        await release.promise;
      },
    });
    const browserLeft = new AbortController();
    const response = toSSEResponse(web.send('hang'), { signal: browserLeft.signal });
    const events = readEvents(response.body!);
    await events.next();

    browserLeft.abort();

    expect(await events.rest()).toEqual([]);
    await eventually(() => web.stats.pendingReplyStreams === 0);
    release.resolve();
  });
});
