import { describe, expect, it } from 'vitest';
import { startRecordingBus } from './support/recording-bus.js';
import { listeningRelay, postRun } from './support/relay-fixture.js';

describe('what a relay puts on the wire', () => {
  it('POSTs /send/NAME with JSON { sender, requestId, payload } and JSON headers', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { serviceName: 'web', http: { register: false } });
    await relay.send('users.create', { name: 'Jean-Luc' }).sent;
    const [recorded] = bus.requests;
    expect(recorded).toMatchObject({ method: 'POST', path: '/send/users.create' });
    expect(recorded?.headers['content-type']).toBe('application/json');
    expect(recorded?.headers.accept).toBe('application/json');
    expect(recorded?.envelope).toEqual({
      sender: 'web',
      requestId: expect.any(String),
      payload: { name: 'Jean-Luc' },
      oneWay: true, // nobody reads its replies
    });
    // A random per-process prefix and a counter: unique, short, and safe in URLs and NATS subjects.
    expect(recorded?.envelope.requestId).toMatch(/^[A-Za-z0-9_-]{17,}$/);
    await relay.send('users.create', { name: 'Beverly' }).sent;
    expect(bus.requests[1]?.envelope.requestId).not.toBe(recorded?.envelope.requestId);
  });

  it('names the sending instance (host:port) in a header once it listens', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    await relay.send('ping').sent;
    expect(bus.requests[0]?.headers['exorelay-instance']).toBe(`127.0.0.1:${relay.port}`);
  });

  it('marks a send nobody reads as oneWay, so nobody keeps a way back for its replies', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    relay.on('error', () => {}); // the claimed streams end with the relay
    await relay.send('event').sent;
    const iterated = relay.send('iterated');
    const iterator = iterated[Symbol.asyncIterator]();
    await iterated.sent;
    await iterator.return?.();
    await relay.send('with callback', undefined, () => {}).sent;
    await relay.send('kept', undefined, { keepReplies: true }).sent;
    const byName = (name: string) =>
      bus.requests.find((request) => request.path === `/send/${encodeURIComponent(name)}`);
    expect(byName('event')?.envelope.oneWay).toBe(true);
    for (const name of ['iterated', 'with callback', 'kept'])
      expect(byName(name)?.envelope).not.toHaveProperty('oneWay');
  });

  it('sends no replies to a oneWay message', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, {
      http: { register: false },
      setup: (relay) => relay.registerHandler('event', (_payload, { reply }) => reply('handled')),
    });
    expect((await postRun(relay.port!, 'event', { requestId: 'e1', oneWay: true })).status).toBe(200);
    expect((await postRun(relay.port!, 'event', { requestId: 'e2' })).status).toBe(200);
    await expect.poll(() => bus.requests.map((request) => request.envelope.responseTo)).toEqual(['e2']);
  });

  it('leaves the payload key out when the payload is undefined', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    await relay.send('ping').sent;
    expect(Object.keys(bus.requests[0]?.envelope ?? {})).toEqual(['sender', 'requestId', 'oneWay']);
  });

  it('encodes message names with spaces in the path', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    await relay.send('store record').sent;
    expect(bus.requests[0]?.path).toBe('/send/store%20record');
  });

  it('sends through one keep-alive pool, never a connection per message', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false, connections: 4 } });
    await Promise.all(Array.from({ length: 500 }, (_, index) => relay.send('tick', index).sent));
    expect(bus.requests).toHaveLength(500);
    expect(bus.connections).toBeLessThanOrEqual(4);
  });

  it('asks whether the bus is there over a kept connection, not a new one each time', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, {
      http: { register: false, connections: 1, busCheckInterval: 200 },
    });
    await relay.send('tick').sent;
    await expect
      .poll(() => bus.requests.filter((request) => request.method === 'HEAD').length)
      .toBeGreaterThanOrEqual(3);
    expect(bus.connections).toBe(1);
  });

  it('gives every message a fresh requestId', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    await Promise.all(Array.from({ length: 100 }, () => relay.send('tick').sent));
    expect(new Set(bus.requests.map((request) => request.envelope.requestId)).size).toBe(100);
  });

  it('announces itself to the bus on listen and whenever its handlers change, and withdraws on close', async () => {
    await using bus = await startRecordingBus();
    const relay = await listeningRelay(bus.port, {
      serviceName: 'users',
      setup: (relay) => relay.registerHandler('users.create', () => {}),
    });
    await expect.poll(() => bus.requests.filter((request) => request.path === '/register')).toHaveLength(1);
    relay.registerHandler('users.list', () => {});
    await expect.poll(() => bus.requests.filter((request) => request.path === '/register')).toHaveLength(2);
    expect(bus.requests.at(-1)?.envelope).toEqual({
      serviceName: 'users',
      host: '127.0.0.1',
      port: relay.port,
      receives: ['users.create', 'users.list'],
    });
    relay.unregisterHandler('users.create');
    await expect.poll(() => bus.requests.filter((request) => request.path === '/register')).toHaveLength(3);
    expect(bus.requests.at(-1)?.envelope).toMatchObject({ receives: ['users.list'] });
    const port = relay.port;
    await relay.close();
    expect(bus.requests.at(-1)).toMatchObject({ path: '/deregister', envelope: { serviceName: 'users', port } });
  });
});
