import { describe, expect, it } from 'vitest';
import { startApiLandscape } from './support/landscape.js';
import { readEvents } from './support/read-events.js';

const json = { 'content-type': 'application/json' };

describe('frontend bridge: POST /bridge/send/NAME', () => {
  it("sends the payload through the server's relay and streams the replies back", async () => {
    await using landscape = await startApiLandscape({
      handlers: {
        'file.copy': async (payload, { reply }) => {
          await reply.progress('file.copying', { percent: 50 });
          await reply('file.copied', payload);
        },
      },
    });

    const response = await fetch(`${landscape.url}/bridge/send/file.copy`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ payload: { from: 'a.txt', to: 'b.txt' } }),
    });
    const events = await readEvents(response.body!).rest();

    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(events.map((event) => event.event)).toEqual(['reply', 'reply', 'end']);
    expect(events[1]?.data).toMatchObject({ outcome: 'file.copied', payload: { from: 'a.txt', to: 'b.txt' } });
    expect(landscape.web.stats.pendingReplyStreams).toBe(0);
  });

  it('sets the sender itself: a sender in the body is ignored', async () => {
    const seen: (string | undefined)[] = [];
    await using landscape = await startApiLandscape({
      handlers: {
        whoami: (_payload, { sender, reply }) => {
          seen.push(sender);
          return reply('you.are', { sender });
        },
      },
    });

    const response = await fetch(`${landscape.url}/bridge/send/whoami`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ sender: 'billing', payload: null, requestId: 'forged' }),
    });
    const [reply] = await readEvents(response.body!).rest();

    expect(seen).toEqual(['web']);
    expect(reply?.data).toMatchObject({ outcome: 'you.are', payload: { sender: 'web' } });
    expect((reply!.data as { responseTo: string }).responseTo).not.toBe('forged');
  });

  it('takes URL-encoded names with spaces, and a body without payload', async () => {
    const payloads: unknown[] = [];
    await using landscape = await startApiLandscape({
      handlers: {
        'check balance': (payload, { reply }) => {
          payloads.push(payload);
          return reply('balance', 100);
        },
      },
    });

    const response = await fetch(`${landscape.url}/bridge/send/check%20balance`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });

    expect((await readEvents(response.body!).next()).data).toMatchObject({ outcome: 'balance', payload: 100 });
    expect(payloads).toEqual([undefined]);
  });

  it('serves its routes under another basePath, also behind a router that strips the mount point', async () => {
    await using landscape = await startApiLandscape({
      handlers: { ping: (_payload, { reply }) => reply('pong') },
      bridge: { allow: { send: ['ping'] }, basePath: '/api/bus/' },
    });

    const direct = await fetch(`${landscape.url}/api/bus/send/ping`, { method: 'POST', headers: json, body: '{}' });
    const old = await fetch(`${landscape.url}/bridge/send/ping`, { method: 'POST', headers: json, body: '{}' });

    expect((await readEvents(direct.body!).next()).data).toMatchObject({ outcome: 'pong' });
    expect(old.status).toBe(404);
  });
});
