import { RemoteError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import type { EventStreamSnapshot, InstanceChange } from '../src/index.js';
import { openEventStream } from './support/event-stream-client.js';
import { startBus, startService } from './support/landscape.js';

describe('a consumer that reads its event stream too slowly', () => {
  it('is disconnected once its unread events fill the buffer, the bus holding no more than that, and loses nothing when it catches up', async () => {
    const maxBufferedEvents = 40;
    await using bus = await startBus({ eventStreams: { maxBufferedEvents }, failureThreshold: 1_000 });
    const changes: InstanceChange[] = [];
    bus.on('instance', (change) => changes.push(change));
    // Opens the stream and does not read it.
    await using sink = await openEventStream(bus.port, { service: 'sink', receives: ['data'] }, { read: false });
    await using web = await startService(bus, 'web');
    const stream = (): EventStreamSnapshot =>
      bus.status().services.find((service) => service.name === 'sink')!.instances[0]!.eventStream!;
    const most = { buffered: 0, bufferedBytes: 0, writeBuffer: 0 };
    bus.on('flow', () => {
      const now = stream();
      for (const key of Object.keys(most) as (keyof typeof most)[]) most[key] = Math.max(most[key], now[key]);
    });
    const disconnected = () => changes.some((change) => change.reason === 'slow-consumer');

    const chunk = 'x'.repeat(256 * 1024);
    // Far more than the socket and the buffer together hold: up to 250 MB.
    for (let sent = 0; !disconnected() && sent < 1_000; sent += 1) {
      await web.send('data', chunk).sent;
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(disconnected()).toBe(true);
    const frameBytes = chunk.length + 200;
    expect(most.buffered).toBeLessThanOrEqual(maxBufferedEvents);
    expect(most.bufferedBytes).toBeLessThanOrEqual(maxBufferedEvents * frameBytes);
    // Writing stops when the socket says it is full: its buffer plus one chunk of events at most.
    expect(most.writeBuffer).toBeLessThanOrEqual(2 * frameBytes);
    const accepted = stream().lastEventId;
    expect(stream()).toMatchObject({ connected: false, buffered: maxBufferedEvents });
    const refused = await web.request('data', 'one more', { timeout: 10_000 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RemoteError);
    expect((refused as RemoteError).remoteMessage).toContain(`its event stream holds ${maxBufferedEvents} events (`);
    expect(stream().lastEventId).toBe(accepted);

    // The consumer reads at last: what reached its socket before the disconnect, then the end …
    sink.resume();
    await sink.ended;
    const read = sink.events.map((event) => Number(event.id));
    expect(read).toEqual(Array.from({ length: read.length }, (_, index) => index + 1));
    // … and, reconnecting, the rest: every message the bus took, once.
    await using again = await openEventStream(bus.port, {
      service: 'sink',
      receives: ['data'],
      instance: sink.instance,
      lastEventId: read.length,
    });
    expect(again.instance).toBe(sink.instance);
    const replayed = await again.waitForEvents(accepted - read.length);
    expect([...read, ...replayed.map((event) => Number(event.id))]).toEqual(
      Array.from({ length: accepted }, (_, index) => index + 1),
    );
  });
});
