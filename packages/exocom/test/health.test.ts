import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { InstanceChange } from '../src/index.js';
import { eventually, startBus } from './support/landscape.js';
import { startPeer } from './support/peer.js';

describe('health checks', () => {
  it('forgets a registered instance that stops answering GET /status', async () => {
    await using bus = await startBus({ healthCheckInterval: 20, failureThreshold: 2 });
    const changes: InstanceChange[] = [];
    bus.on('instance', (change) => changes.push(change));
    const users = await startPeer(bus.port, 'users', { receives: ['users.create'] });

    await users.close();

    await eventually(() => bus.status().services.length === 0);
    expect(changes.map(({ type, reason }) => `${type} ${reason}`)).toEqual([
      'added registration',
      'removed unreachable',
    ]);
  });

  it('marks a configured instance down while it is unreachable, and up when it answers again', async () => {
    const server = createServer((_request, response) => response.end('{"status":"online"}'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    await using bus = await startBus({
      healthCheckInterval: 20,
      failureThreshold: 2,
      services: [{ name: 'users', host: '127.0.0.1', port, receives: ['users.create'] }],
    });
    const up = () => bus.status().services[0]?.instances[0]?.up;

    await eventually(() => up() === false);
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    await eventually(() => up() === true);
    server.closeAllConnections();
    server.close();
    expect(bus.status().routes).toEqual({ 'users.create': ['users'] });
  });
});
