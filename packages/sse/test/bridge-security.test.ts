import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { createFrontendBridge, ReplyFailedError, SSEConfigError } from '../src/index.js';
import { eventually, startApiLandscape } from './support/landscape.js';
import { readEvents } from './support/read-events.js';

const secretText = 'pg: password authentication failed for user "admin" at 10.0.3.7:5432';

async function openEvents(url: string, user: string) {
  const browser = new AbortController();
  const response = await fetch(`${url}/bridge/events`, { headers: { 'x-user': user }, signal: browser.signal });
  return { events: readEvents(response.body!), leave: () => browser.abort() };
}

describe('frontend bridge: what reaches a browser', () => {
  it('gives a browser the code, a generic text and a correlation id, and the server the full error', async () => {
    await using landscape = await startApiLandscape({
      handlers: {
        'users.get': () => {
          throw new Error(secretText);
        },
      },
    });
    const response = await fetch(`${landscape.url}/bridge/send/users.get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: {} }),
    });
    const text = await response.text();

    expect(text).not.toContain('pg:');
    expect(text).not.toContain('10.0.3.7');
    expect(text).not.toContain('admin');
    const [event] = await readEvents(new Response(text).body!).rest();
    expect(event).toMatchObject({ event: 'error', data: { code: 'EXORELAY_REMOTE', remoteCode: 'HANDLER_FAILED' } });
    const { correlationId, details } = event!.data as { correlationId: string; details?: unknown };
    expect(details).toBeUndefined();
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    await eventually(() => landscape.bridgeErrors.length === 1);
    const logged = landscape.bridgeErrors[0] as ReplyFailedError;
    expect(logged).toBeInstanceOf(ReplyFailedError);
    expect(logged.correlationId).toBe(correlationId);
    expect(logged.message).toContain(secretText);
  });
});

describe('frontend bridge: who gets a pushed message', () => {
  it("pushes a user's data only to the browsers the filter lets see it", async () => {
    await using landscape = await startApiLandscape({
      bridge: {
        allow: { receive: ['account.updated'] },
        authorize: (request) => request.headers['x-user'],
        filter: (message, user) => (message.payload as { owner: string }).owner === user,
      },
    });
    const alice = await openEvents(landscape.url, 'alice');
    const bob = await openEvents(landscape.url, 'bob');
    await eventually(() => landscape.bridge.connections === 2);

    await landscape.backend.send('account.updated', { owner: 'bob', balance: 1_000_000 }).sent;
    await landscape.backend.send('account.updated', { owner: 'alice', balance: 5 }).sent;

    expect(await bob.events.next()).toMatchObject({ data: { payload: { owner: 'bob' } } });
    // Alice's first event is her own: bob's was never written to her stream.
    expect(await alice.events.next()).toMatchObject({ data: { payload: { owner: 'alice' } } });
    alice.leave();
    bob.leave();
  });

  it('pushes nothing when the filter throws', async () => {
    await using landscape = await startApiLandscape({
      bridge: {
        allow: { receive: ['tick'] },
        authorize: (request) => request.headers['x-user'],
        filter: (message) => {
          if ((message.payload as { n: number }).n === 1) throw new Error('filter bug');
          return true;
        },
      },
    });
    const browser = await openEvents(landscape.url, 'alice');
    await eventually(() => landscape.bridge.connections === 1);
    await landscape.backend.send('tick', { n: 1 }).sent;
    await landscape.backend.send('tick', { n: 2 }).sent;
    expect(await browser.events.next()).toMatchObject({ data: { payload: { n: 2 } } });
    browser.leave();
  });

  it('refuses a name on both allow.send and allow.receive: a page could broadcast to every other page', () => {
    const relay = new ExoRelay({ serviceName: 'web', exocomPort: 1 });
    expect(() => createFrontendBridge({ relay, allow: { send: ['chat.post'], receive: ['chat.post'] } })).toThrow(
      SSEConfigError,
    );
    expect(() => createFrontendBridge({ relay, allow: { send: ['chat.post'], receive: ['chat.post'] } })).toThrow(
      "'chat.post' is on both allow.send and allow.receive",
    );
  });

  it('keeps at most replayBytes of pushed messages for reconnecting browsers', async () => {
    await using landscape = await startApiLandscape({
      bridge: { allow: { receive: ['tick'] }, replayBytes: 300 },
    });
    const first = await openEvents(landscape.url, 'alice');
    await eventually(() => landscape.bridge.connections === 1);
    await landscape.backend.send('tick', { n: 0 }).sent;
    const seen = await first.events.next();
    first.leave();
    for (let n = 1; n <= 5; n += 1) await landscape.backend.send('tick', { n, filler: 'x'.repeat(100) }).sent;
    await eventually(() => landscape.bridge.connections === 0);
    const browser = new AbortController();
    const response = await fetch(`${landscape.url}/bridge/events`, {
      headers: { 'last-event-id': seen!.id! },
      signal: browser.signal,
    });
    const again = readEvents(response.body!);
    const replayed = await again.next();
    // Only the newest fit in 300 bytes: the replay starts after a gap, never with n = 1.
    expect((replayed!.data as { payload: { n: number } }).payload.n).toBeGreaterThan(3);
    browser.abort();
  });
});

describe('frontend bridge: who services see', () => {
  it("hands services the identity authorize returned as ctx.auth, never the browser's own claim", async () => {
    await using landscape = await startApiLandscape({
      handlers: { 'orders.list': (_payload, { reply, auth, sender }) => reply('orders.listed', { auth, sender }) },
      bridge: {
        allow: { send: ['orders.list'] },
        authorize: (request) => ({ userId: request.headers['x-user'] }),
      },
    });
    const response = await fetch(`${landscape.url}/bridge/send/orders.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': 'alice' },
      body: JSON.stringify({ payload: {}, auth: { userId: 'admin' }, sender: 'users' }),
    });
    const [reply] = await readEvents(response.body!).rest();
    expect(reply?.data).toMatchObject({ payload: { auth: { userId: 'alice' }, sender: 'web' } });
  });
});
