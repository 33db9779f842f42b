import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';
import { startPeer } from './support/peer.js';

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('a receiver that is down', () => {
  it('answers the requester with a final exo.error DELIVERY_FAILED reply from the unreachable service', async () => {
    const port = await closedPort();
    await using bus = await startBus({
      services: [{ name: 'users', host: '127.0.0.1', port, receives: ['users.create'] }],
    });
    await using web = await startService(bus, 'web');

    const failure = await web.request('users.create', {}, { timeout: 20_000 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure).toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      details: { service: 'users', instance: `127.0.0.1:${port}` },
    });
    // The error reply was delivered to web; the bus counts that once web's answer is in.
    await eventually(() => bus.counters.delivered === 1);
    expect(bus.counters).toMatchObject({ failed: 1, errorReplies: 1 });
    expect(
      bus.lines.some((line) =>
        line.startsWith(`web  --[ users.create ]-x  users at 127.0.0.1:${port}: delivery failed`),
      ),
    ).toBe(true);
  });

  it('does not retry an instance that answers 500: the handler may have run, the requester gets DELIVERY_FAILED', async () => {
    await using bus = await startBus({ deliveryRetries: 2 });
    await using users = await startPeer(bus.port, 'users', { receives: ['users.create'], answer: () => 500 });
    await using web = await startService(bus, 'web');

    await expect(web.request('users.create')).rejects.toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      details: { status: 500 },
    });
    expect(users.received).toHaveLength(1);
  });

  it('does not retry a 4xx answer, and tells the requester', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.create'], answer: () => 404 });
    await using web = await startService(bus, 'web');

    await expect(web.request('users.create')).rejects.toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      details: { status: 404 },
    });
    expect(users.received).toHaveLength(1);
  });

  it('leaves a 422 to the receiver, which answers INVALID_PAYLOAD itself', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.create'], answer: () => 422 });
    await using web = await startPeer(bus.port, 'web');

    await web.send('users.create', { requestId: 'r1' });
    await eventually(() => bus.counters.failed === 1);

    expect(users.received).toHaveLength(1);
    expect(bus.counters.errorReplies).toBe(0);
    expect(web.received).toEqual([]);
  });

  it('forgets a registered instance whose deliveries keep failing', async () => {
    await using bus = await startBus({ failureThreshold: 2, deliveryRetries: 0, healthCheckInterval: 0 });
    const users = await startPeer(bus.port, 'users', { receives: ['users.create'] });
    await using web = await startService(bus, 'web');
    await users.close();

    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(web.request('users.create')).rejects.toMatchObject({ remoteCode: 'DELIVERY_FAILED' });
    }

    await eventually(() => bus.status().routes['users.create'] === undefined);
    await expect(web.request('users.create')).rejects.toMatchObject({ code: 'EXORELAY_NO_RESPONDERS' });
  });

  it('sends a message to an instance that is up rather than one that is down', async () => {
    await using bus = await startBus({ failureThreshold: 1, deliveryRetries: 0, healthCheckInterval: 0 });
    const port = await closedPort();
    bus.configure([{ name: 'users', host: '127.0.0.1', port, receives: ['users.get'] }]);
    await using web = await startService(bus, 'web');
    await expect(web.request('users.get')).rejects.toMatchObject({ remoteCode: 'DELIVERY_FAILED' });
    await using _healthy = await startService(bus, 'users', { 'users.get': (_p, { reply }) => reply('users.found') });

    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(web.request('users.get')).resolves.toMatchObject({ outcome: 'users.found' });
    }
  });
});
