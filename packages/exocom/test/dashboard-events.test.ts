import { once } from 'node:events';
import { createServer } from 'node:net';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { startExoCom } from 'exocom';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';

/** `GET /dashboard/events` read as the page's EventSource would, event by event. */
async function openDashboardFeed(port: number) {
  const controller = new AbortController();
  const response = await fetch(`http://127.0.0.1:${port}/dashboard/events`, { signal: controller.signal });
  const events: (EventSourceMessage & { json: Record<string, unknown> })[] = [];
  const waiters = new Set<() => void>();
  const parser = createParser({
    onEvent: (event) => {
      events.push({ ...event, json: JSON.parse(event.data) as Record<string, unknown> });
      for (const waiter of waiters) waiter();
    },
  });
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
  })().catch(() => {});
  return {
    response,
    /** The first event (past or future) of that type for which `where` holds. */
    waitFor(type: string, where: (data: Record<string, unknown>) => boolean = () => true) {
      return new Promise<Record<string, unknown>>((resolve) => {
        const check = () => {
          const found = events.find((event) => event.event === type && where(event.json));
          if (found === undefined) return;
          waiters.delete(check);
          resolve(found.json);
        };
        waiters.add(check);
        check();
      });
    },
    async [Symbol.asyncDispose]() {
      controller.abort();
      await reading;
    },
  };
}

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  return typeof address === 'object' && address !== null ? address.port : 0;
}

function relayOn(port: number, serviceName: string) {
  const relay = new ExoRelay({ serviceName, exocomPort: port, exocomHost: '127.0.0.1' });
  relay.on('error', () => {});
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

describe('GET /dashboard/events', () => {
  it('streams a snapshot, then instance changes and flow events with the bus clock, failed deliveries with their reason', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0, deliveryRetries: 0 });
    await using feed = await openDashboardFeed(bus.port);
    expect(feed.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await feed.waitFor('snapshot')).toMatchObject({ status: 'online', port: bus.port, services: [] });

    await using users = relayOn(bus.port, 'users');
    users.registerHandler('users.create', (_payload, { reply }) => reply('users.created'));
    await users.listen(0);
    const joined = await feed.waitFor('instance', (change) => change.type === 'added');
    expect(joined).toMatchObject({
      reason: 'registration',
      instance: { service: 'users', receives: ['users.create'] },
    });
    expect(typeof joined.at).toBe('number');

    await using web = relayOn(bus.port, 'web');
    await web.listen(0);
    await web.request('users.create');
    const message = await feed.waitFor('flow', (event) => event.name === 'users.create');
    expect(message).toMatchObject({ kind: 'message', sender: 'web', receivers: [{ service: 'users' }] });
    const reply = await feed.waitFor('flow', (event) => event.name === 'users.created');
    expect(reply).toMatchObject({ kind: 'reply', sender: 'users', final: true, responseTo: message.requestId });
    expect(reply.at as number).toBeGreaterThanOrEqual(message.at as number);

    bus.configure([{ name: 'ghost', host: '127.0.0.1', port: await closedPort(), receives: ['ghost.ping'] }]);
    await expect(web.request('ghost.ping')).rejects.toThrow(/DELIVERY_FAILED/);
    const failed = await feed.waitFor('flow', (event) => event.kind === 'delivery-failed');
    expect(failed).toMatchObject({
      name: 'ghost.ping',
      receiver: { service: 'ghost' },
      error: { code: 'EXOCOM_DELIVERY_FAILED', reason: expect.stringContaining('ECONNREFUSED') },
    });
  });
});
