import type { TransportStatus } from 'exorelay';
import { describe, expect, it } from 'vitest';
import type { InstanceChange } from '../src/index.js';
import { openEventStream } from './support/event-stream-client.js';
import { eventually, startBus, startService, startSseService } from './support/landscape.js';
import { startPeer } from './support/peer.js';
import { startTcpProxy } from './support/tcp-proxy.js';

describe('reconnecting an event stream', () => {
  it('a connection cut in the middle of 2 000 messages: the relay reconnects, none is lost, none duplicated', async () => {
    const total = 2_000;
    await using bus = await startBus();
    const changes: InstanceChange[] = [];
    bus.on('instance', (change) => changes.push(change));
    await using proxy = await startTcpProxy(bus.port);
    const received: number[] = [];
    await using counter = await startSseService(
      proxy,
      'counter',
      {
        count: (payload) => {
          received.push(payload as number);
          if (received.length === 600) proxy.cut();
        },
      },
      { sse: { reconnectDelay: 10 } },
    );
    const statuses: TransportStatus['type'][] = [];
    counter.on('status', (status) => statuses.push(status.type));
    await using sender = await startService(bus, 'sender');

    for (let sent = 0; sent < total; sent += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, index) => sender.send('count', sent + index).sent));
    }
    const stream = () => bus.status().services.find((service) => service.name === 'counter')!.instances[0]!;
    await eventually(() => received.length >= total && stream().eventStream!.unwritten === 0, { timeout: 20_000 });

    expect(received).toHaveLength(total);
    expect(new Set(received).size).toBe(total);
    expect(statuses).toEqual(['reconnecting', 'online']);
    expect(proxy.connections).toBeGreaterThan(1);
    // The same instance came back (resumed), it was not forgotten and registered anew.
    const counterChanges = changes.filter((change) => change.instance.service === 'counter');
    expect(counterChanges.map((change) => [change.type, change.reason])).toEqual([
      ['added', 'connected'],
      ['updated', 'disconnected'],
      ['updated', 'connected'],
    ]);
    expect(bus.counters.failed).toBe(0);
  });

  it('replays everything after Last-Event-ID, to the same instance', async () => {
    await using bus = await startBus();
    await using web = await startPeer(bus.port, 'web');
    const first = await openEventStream(bus.port, { service: 'bank', receives: ['deposit'] });
    for (const requestId of ['r1', 'r2', 'r3']) await web.send('deposit', { requestId });
    await first.waitForEvents(3);
    await first.close();
    for (const requestId of ['r4', 'r5']) await web.send('deposit', { requestId });

    // A reconnect's query says again which names the instance handles.
    await using again = await openEventStream(bus.port, {
      service: 'bank',
      receives: ['deposit'],
      instance: first.instance,
      lastEventId: 2,
    });

    expect(again.instance).toBe(first.instance);
    const replayed = await again.waitForEvents(3);
    expect(replayed.map((event) => [event.id, JSON.parse(event.data).requestId])).toEqual([
      ['3', 'r3'],
      ['4', 'r4'],
      ['5', 'r5'],
    ]);
    await web.send('deposit', { requestId: 'r6' });
    expect((await again.waitForEvents(4))[3]).toMatchObject({ id: '6' });
  });

  it('a reconnect the bus cannot replay (events it no longer holds) gets a new instance, counting from 1', async () => {
    await using bus = await startBus();
    await using web = await startPeer(bus.port, 'web');
    const first = await openEventStream(bus.port, { service: 'bank', receives: ['deposit'] });
    await web.send('deposit', { requestId: 'r1' });
    await web.send('deposit', { requestId: 'r2' });
    await first.waitForEvents(2);
    await first.close();
    // Confirms event 2 (so the bus drops 1 and 2) …
    const second = await openEventStream(bus.port, { service: 'bank', instance: first.instance, lastEventId: 2 });
    await second.close();

    // … then claims to have seen only event 1.
    await using third = await openEventStream(bus.port, {
      service: 'bank',
      receives: ['deposit'],
      instance: first.instance,
      lastEventId: 1,
    });

    expect(third.status).toBe(200);
    expect(third.instance).not.toBe(first.instance);
    await web.send('deposit', { requestId: 'r3' });
    expect(await third.waitForEvents(1)).toEqual([expect.objectContaining({ id: '1' })]);
    expect(bus.status().services.find((service) => service.name === 'bank')!.instances).toHaveLength(1);
  });

  it('a reconnect with the id of an instance the bus does not know (it restarted) gets a new one', async () => {
    await using bus = await startBus();
    await using stream = await openEventStream(bus.port, {
      service: 'bank',
      instance: '0f5e4b9c-1111-4222-8333-944455556666',
      lastEventId: 41,
    });
    expect(stream.status).toBe(200);
    expect(stream.instance).not.toBe('0f5e4b9c-1111-4222-8333-944455556666');
  });
});
