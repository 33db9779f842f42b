import type { TransportStatus } from 'exorelay';
import { describe, expect, it } from 'vitest';
import type { InstanceChange } from '../src/index.js';
import { openEventStream } from './support/event-stream-client.js';
import { eventually, startBus, startService, startSseService } from './support/landscape.js';
import { startTcpProxy } from './support/tcp-proxy.js';

describe('event-stream heartbeats', () => {
  it('the bus writes a heartbeat comment to an idle stream every heartbeatInterval', async () => {
    await using bus = await startBus({ eventStreams: { heartbeatInterval: 20 } });
    await using stream = await openEventStream(bus.port, { service: 'idle' });

    await stream.waitForComments(3);

    expect(stream.comments.slice(0, 3)).toEqual(['heartbeat', 'heartbeat', 'heartbeat']);
    expect(stream.events).toEqual([]);
  });

  it('keep an idle relay connected, and a relay that hears nothing reconnects to the same instance', async () => {
    await using bus = await startBus({ eventStreams: { heartbeatInterval: 20 } });
    const changes: InstanceChange[] = [];
    bus.on('instance', (change) => changes.push(change));
    await using proxy = await startTcpProxy(bus.port);
    await using users = await startSseService(
      proxy,
      'users',
      { 'users.get': (_payload, { reply }) => reply('users.found') },
      { sse: { heartbeatTimeout: 300, reconnectDelay: 10 } },
    );
    const statuses: TransportStatus[] = [];
    users.on('status', (status) => statuses.push(status));
    await using web = await startService(bus, 'web');

    // Idle through 30 heartbeats (twice the relay's heartbeatTimeout of bus time): they keep it connected.
    const idleFrom = proxy.heartbeats;
    await eventually(() => proxy.heartbeats - idleFrom >= 30, { timeout: 10_000 });
    expect(statuses).toEqual([]);
    expect(proxy.connections).toBe(1);

    // The connection goes silent without closing, as when a peer or a NAT drops it.
    proxy.freeze();
    await eventually(() => statuses.some((status) => status.type === 'online'), { timeout: 5_000 });

    expect(statuses[0]).toMatchObject({ type: 'reconnecting', attempt: 1, error: { code: 'UND_ERR_BODY_TIMEOUT' } });
    // The same instance: resumed, not forgotten and added anew.
    const usersChanges = changes.filter((change) => change.instance.service === 'users');
    expect(usersChanges.map((change) => [change.type, change.reason])).toEqual([
      ['added', 'connected'],
      ['updated', 'disconnected'],
      ['updated', 'connected'],
    ]);
    await expect(web.request('users.get')).resolves.toMatchObject({ outcome: 'users.found' });
  });
});
