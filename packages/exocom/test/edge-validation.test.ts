import { describe, expect, it } from 'vitest';
import type { InstanceChange } from '../src/index.js';
import { openEventStream } from './support/event-stream-client.js';
import { eventually, startBus, startService } from './support/landscape.js';

describe('what the bus refuses at its edges', () => {
  it('refuses with 400 a registration that receives a reserved exo. name, as relays do', async () => {
    await using bus = await startBus();

    const response = await fetch(`http://127.0.0.1:${bus.port}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceName: 'users', host: '127.0.0.1', port: 4999, receives: ['exo.error'] }),
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain("receives lists 'exo.error', a reserved name");
    expect(bus.status().services).toEqual([]);
  });

  it('refuses with 400 an event stream that asks to receive a reserved exo. name', async () => {
    await using bus = await startBus();

    await using stream = await openEventStream(bus.port, { service: 'worker', receives: ['exo.ping'] });

    expect(stream.status).toBe(400);
    expect(stream.text).toContain("receives lists 'exo.ping', a reserved name");
  });

  it.each([
    ['application/json-patch+json', 415],
    ['application/jsonx', 415],
    ['text/plain', 415],
    ['application/json', 200],
    ['application/json; charset=utf-8', 200],
    ['Application/JSON;charset=UTF-8', 200],
  ])('answers a send with content-type %s with %i', async (contentType, status) => {
    await using bus = await startBus();

    const response = await fetch(`http://127.0.0.1:${bus.port}/send/anything`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: JSON.stringify({ sender: 'web', requestId: 'r1' }),
    });

    expect(response.status).toBe(status);
    if (status === 415) expect(await response.text()).toBe(`content-type must be application/json, got ${contentType}`);
  });

  it('keeps a slow event-stream consumer for its retention however many messages it refuses, so it can resume', async () => {
    await using bus = await startBus({ eventStreams: { maxBufferedEvents: 5, retention: 60_000 } });
    const changes: InstanceChange[] = [];
    bus.on('instance', (change) => changes.push(change));
    await using sink = await openEventStream(bus.port, { service: 'sink', receives: ['data'] }, { read: false });
    await using web = await startService(bus, 'web');
    const chunk = 'x'.repeat(256 * 1024);
    for (let sent = 0; !changes.some((change) => change.reason === 'slow-consumer') && sent < 1_000; sent += 1) {
      await web.send('data', chunk).sent;
      await new Promise((resolve) => setImmediate(resolve));
    }

    // Refused: more than the failure threshold (3) in a row, within milliseconds.
    for (let refused = 0; refused < 10; refused += 1) {
      await expect(web.request('data', 'more', { timeout: 5000 })).rejects.toMatchObject({
        remoteCode: 'DELIVERY_FAILED',
      });
    }

    expect(changes.map((change) => change.reason)).not.toContain('unreachable');
    expect(bus.status().routes.data).toEqual(['sink']);
    sink.resume();
    await sink.ended;
    await using again = await openEventStream(bus.port, {
      service: 'sink',
      receives: ['data'],
      instance: sink.instance,
      lastEventId: sink.events.length,
    });
    expect(again.instance).toBe(sink.instance);
    await eventually(() => bus.status().services.find((s) => s.name === 'sink')?.instances[0]?.up === true);
  });
});
