import { once } from 'node:events';
import { deferred } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { eventually, startApiLandscape } from './support/landscape.js';
import { readEvents } from './support/read-events.js';

async function openEvents(url: string, headers: Record<string, string> = {}) {
  const browser = new AbortController();
  const response = await fetch(`${url}/bridge/events`, { headers, signal: browser.signal });
  return { response, events: readEvents(response.body!), leave: () => browser.abort() };
}

describe('frontend bridge: GET /bridge/events', () => {
  it('pushes every allow.receive message to every connected browser', async () => {
    await using landscape = await startApiLandscape({ bridge: { allow: { receive: ['users.created'] } } });
    const first = await openEvents(landscape.url);
    const second = await openEvents(landscape.url);
    await eventually(() => landscape.bridge.connections === 2);

    await landscape.backend.send('users.created', { name: 'Jean-Luc' }).sent;
    const pushed = await Promise.all([first.events.next(), second.events.next()]);

    expect(first.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    for (const event of pushed) {
      expect(event).toMatchObject({
        event: 'message',
        data: { name: 'users.created', payload: { name: 'Jean-Luc' }, sender: 'backend' },
      });
    }
    first.leave();
    second.leave();
    await eventually(() => landscape.bridge.connections === 0);
  });

  it('replays what a browser missed when it reconnects with Last-Event-ID, without duplicates', async () => {
    await using landscape = await startApiLandscape({ bridge: { allow: { receive: ['tick'] } } });
    // Stays connected throughout: once it saw a tick, the bridge has pushed it.
    const observer = await openEvents(landscape.url);
    const before = await openEvents(landscape.url);
    await eventually(() => landscape.bridge.connections === 2);
    await landscape.backend.send('tick', 1).sent;
    const seen = await before.events.next();
    before.leave();
    await eventually(() => landscape.bridge.connections === 1);

    await landscape.backend.send('tick', 2).sent;
    await landscape.backend.send('tick', 3).sent;
    await observer.events.next();
    await observer.events.next();
    await observer.events.next();
    const after = await openEvents(landscape.url, { 'last-event-id': seen.id! });
    await landscape.backend.send('tick', 4).sent;

    const payloads = [];
    for (let count = 0; count < 3; count += 1)
      payloads.push(((await after.events.next()).data as { payload: number }).payload);
    expect(payloads).toEqual([2, 3, 4]);
    after.leave();
    observer.leave();
  });

  it('replays nothing to a browser whose Last-Event-ID comes from another server', async () => {
    await using landscape = await startApiLandscape({ bridge: { allow: { receive: ['tick'] } } });
    const observer = await openEvents(landscape.url);
    await eventually(() => landscape.bridge.connections === 1);
    await landscape.backend.send('tick', 1).sent;
    await observer.events.next();

    const browser = await openEvents(landscape.url, { 'last-event-id': 'deadbeef-0' });
    await eventually(() => landscape.bridge.connections === 2);
    await landscape.backend.send('tick', 2).sent;

    expect((await browser.events.next()).data).toMatchObject({ payload: 2 });
    browser.leave();
    observer.leave();
  });

  it('ends every event stream on close(), unregisters its push handlers, and refuses new streams with 503', async () => {
    await using landscape = await startApiLandscape({ bridge: { allow: { receive: ['tick'] } } });
    const browser = await openEvents(landscape.url);
    await eventually(() => landscape.bridge.connections === 1);
    expect(landscape.web.hasHandler('tick')).toBe(true);

    landscape.bridge.close();

    expect(await browser.events.rest()).toEqual([]);
    expect((await fetch(`${landscape.url}/bridge/events`)).status).toBe(503);
    expect(landscape.web.hasHandler('tick')).toBe(false);
  });

  it('keeps no event stream for a browser that left while authorize ran', async () => {
    const authorizing = deferred<void>();
    let authorized = false;
    await using landscape = await startApiLandscape({
      bridge: {
        allow: { receive: ['tick'] },
        authorize: async (request) => {
          authorizing.resolve();
          await once(request.socket, 'close');
          authorized = true;
          return true;
        },
      },
    });
    const browser = new AbortController();

    const opening = fetch(`${landscape.url}/bridge/events`, { signal: browser.signal }).catch(() => undefined);
    await authorizing.promise;
    browser.abort();
    await opening;
    await eventually(() => authorized);
    await new Promise((resolve) => setImmediate(resolve));

    expect(landscape.bridge.connections).toBe(0);
  });
});
