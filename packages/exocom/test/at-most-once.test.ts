import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';
import { startPeer } from './support/peer.js';

describe('delivery at most once', () => {
  it('does not retry an instance that reset the connection mid-request: the handler ran once, the requester gets DELIVERY_FAILED', async () => {
    await using bus = await startBus({ deliveryRetries: 3 });
    let runs = 0;
    // Reads the message, starts the handler, then its connection breaks before it answers.
    const server = createServer((request, response) => {
      if (request.url === '/status') return void response.end('{}');
      request.resume();
      request.on('end', () => {
        runs += 1;
        response.socket?.destroy();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    bus.configure([{ name: 'users', host: '127.0.0.1', port, receives: ['users.create'] }]);
    await using web = await startService(bus, 'web');

    await expect(web.request('users.create', {}, { timeout: 10_000 })).rejects.toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      remoteMessage: expect.stringMatching(/could not deliver 'users.create' to users: .*(closed|reset|socket)/i),
    });
    expect(runs).toBe(1);
    server.close();
  });

  it('routes a POST /send retried with the same sender and requestId once, answering the retry like the first', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.create'] });
    await using web = await startPeer(bus.port, 'web');

    const first = await web.send('users.create', { requestId: 'create-1' });
    const retried = await web.send('users.create', { requestId: 'create-1' });
    await web.send('users.create', { requestId: 'create-2' });

    expect(first).toEqual({ status: 200, body: '{"receivers":1}' });
    expect(retried).toEqual(first);
    await eventually(() => users.received.length === 2);
    expect(users.received.map(({ envelope }) => envelope.requestId)).toEqual(['create-1', 'create-2']);
    expect(bus.counters).toMatchObject({ received: 2, duplicates: 1 });
  });

  it('does not take the same requestId from two senders for a duplicate', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.create'] });
    await using web = await startPeer(bus.port, 'web');
    await using admin = await startPeer(bus.port, 'admin');

    await web.send('users.create', { requestId: 'same' });
    await admin.send('users.create', { requestId: 'same' });

    await eventually(() => users.received.length === 2);
  });

  it('sends a message that met a refused connection to a sibling instance: the requester gets the reply', async () => {
    await using bus = await startBus({ healthCheckInterval: 0, loadBalancing: 'round-robin' });
    const gone = await startPeer(bus.port, 'users', { receives: ['users.create'] });
    await using alive = await startPeer(bus.port, 'users', {
      receives: ['users.create'],
      answer: async ({ envelope }) => {
        setImmediate(
          () =>
            void alive.send('users.created', {
              requestId: `re-${envelope.requestId}`,
              responseTo: envelope.requestId,
              seq: 0,
            }),
        );
        return 200;
      },
    });
    await using web = await startService(bus, 'web');
    await gone.close();

    const replies = [];
    for (let index = 0; index < 4; index += 1) replies.push(await web.request('users.create', index));

    expect(replies.map(({ outcome }) => outcome)).toEqual(Array(4).fill('users.created'));
    expect(alive.received).toHaveLength(4);
  });
});
