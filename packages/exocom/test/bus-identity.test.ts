import { BUS_INSTANCE_HEADER } from '@exorelay/protocol';
import { describe, expect, it } from 'vitest';
import { openEventStream } from './support/event-stream-client.js';
import { startBus } from './support/landscape.js';

async function headerOf(port: number, path: string, init: RequestInit = {}): Promise<string | null> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
  await response.text();
  return response.headers.get(BUS_INSTANCE_HEADER);
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('the bus identity header', () => {
  it('comes with every answer, the same id for one bus, so a relay can tell when the bus restarted', async () => {
    await using bus = await startBus();
    const registration = { serviceName: 'users', host: '127.0.0.1', port: 4999, receives: ['users.create'] };

    const seen = [
      await headerOf(bus.port, '/register', json(registration)),
      await headerOf(bus.port, '/send/users.create', json({ sender: 'web', requestId: 'r1', oneWay: true })),
      await headerOf(bus.port, '/send/users.create', json({ requestId: 'no sender' })),
      await headerOf(bus.port, '/deregister', json(registration)),
      await headerOf(bus.port, '/events'),
      await headerOf(bus.port, '/status'),
      await headerOf(bus.port, '/nowhere'),
    ];
    await using stream = await openEventStream(bus.port, { service: 'worker', receives: ['work'] });

    expect(bus.instance).toMatch(/^[0-9a-f-]{36}$/);
    expect([...seen, stream.headers[BUS_INSTANCE_HEADER]]).toEqual(Array(8).fill(bus.instance));
  });

  it('differs between two starts of the bus', async () => {
    await using first = await startBus();
    await using second = await startBus();

    expect(await headerOf(first.port, '/status')).not.toBe(await headerOf(second.port, '/status'));
  });
});
