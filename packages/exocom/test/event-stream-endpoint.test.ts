import { describe, expect, it } from 'vitest';
import { ConfigError, type InstanceChange, startExoCom } from '../src/index.js';
import { openEventStream } from './support/event-stream-client.js';
import { startBus } from './support/landscape.js';
import { startPeer } from './support/peer.js';

describe('GET /events', () => {
  it('registers an instance, names it in the exorelay-instance header, and streams its messages as numbered events', async () => {
    await using bus = await startBus();
    const changes: InstanceChange[] = [];
    bus.on('instance', (change) => changes.push(change));
    await using stream = await openEventStream(bus.port, { service: 'bank', receives: ['transfer money', 'audit'] });
    await using web = await startPeer(bus.port, 'web');

    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache');
    expect(stream.instance).toMatch(/^[0-9a-f-]{36}$/);
    expect(changes[0]).toEqual({
      type: 'added',
      reason: 'connected',
      instance: expect.objectContaining({
        service: 'bank',
        port: 0,
        receives: ['transfer money', 'audit'],
        sources: ['event-stream'],
        up: true,
        eventStream: expect.objectContaining({ id: stream.instance, connected: true }),
      }),
    });
    const pretty = '{\n  "sender": "web",\n  "requestId": "r1",\n  "payload": { "amount": 3 }\n}';
    const posted = await fetch(`http://127.0.0.1:${bus.port}/send/transfer%20money`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: pretty,
    });
    expect(await posted.json()).toEqual({ receivers: 1 });
    await web.send('audit', { requestId: 'r2', payload: [1, 2] });

    const [first, second] = await stream.waitForEvents(2);
    // event: is NAME as in /run/NAME; data: the JSON the sender posted, byte for byte up to line breaks.
    expect(first).toEqual({ id: '1', event: 'transfer%20money', data: pretty });
    expect(second).toMatchObject({ id: '2', event: 'audit' });
    expect(JSON.parse(second!.data)).toEqual({ sender: 'web', requestId: 'r2', payload: [1, 2] });
  });

  it('refuses requests it cannot take, with a reason', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users');
    await using bank = await openEventStream(bus.port, { service: 'bank' });
    const refusals = [
      [{ service: '' }, 400, 'missing service: GET /events?service=NAME&receives=NAME…'],
      [{ service: 'bank', receives: [''] }, 400, 'receives must name a message: receives=NAME, once per name'],
      [
        { service: 'bank', lastEventId: -1 },
        400,
        "Last-Event-ID must be the id of an event this bus sent (N or INSTANCE:N, N an integer ≥ 0), got '-1'",
      ],
      [
        { service: 'web', instance: bank.instance },
        409,
        `event stream ${bank.instance} belongs to service 'bank', not 'web'`,
      ],
      [{ service: 'users', instance: users.address }, 409, `'${users.address}' is not an event-stream instance`],
    ] as const;

    for (const [query, status, text] of refusals) {
      const refused = await openEventStream(bus.port, query);
      expect({ status: refused.status, text: refused.text }).toEqual({ status, text });
    }
    const post = await fetch(`http://127.0.0.1:${bus.port}/events?service=bank`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
  });

  it('takes POST /register and /deregister for an event-stream instance by its id, and refuses what it cannot take', async () => {
    await using bus = await startBus();
    await using bank = await openEventStream(bus.port, { service: 'bank', receives: ['deposit'] });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`http://127.0.0.1:${bus.port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return [response.status, await response.text()];
    };

    expect(await post('/register', { serviceName: 'bank', instance: bank.instance, receives: ['withdraw'] })).toEqual([
      200,
      `registered bank as event stream ${bank.instance}`,
    ]);
    expect(bus.status().routes).toEqual({ withdraw: ['bank'] });
    expect(await post('/register', { serviceName: 'bank', instance: 'nope', receives: [] })).toEqual([
      404,
      "no event-stream instance 'nope': open GET /events?service=bank again",
    ]);
    expect(await post('/register', { serviceName: 'web', instance: bank.instance, receives: [] })).toEqual([
      409,
      `event stream ${bank.instance} belongs to service 'bank', not 'web'`,
    ]);
    expect(await post('/register', { serviceName: 'bank', instance: 7, receives: [] })).toEqual([
      400,
      'instance must be the id of an event stream (a non-empty string)',
    ]);
    expect(await post('/deregister', { serviceName: 'bank', instance: 'nope' })).toEqual([200, 'not registered']);
    expect(await post('/deregister', { serviceName: 'bank', instance: bank.instance })).toEqual([200, 'deregistered']);
    await bank.ended;
    expect(bus.status().services).toEqual([]);
  });

  it('checks its options', async () => {
    for (const [eventStreams, text] of [
      [{ retention: 0 }, 'eventStreams.retention must be a positive number, got 0'],
      [{ heartbeatInterval: Number.NaN }, 'eventStreams.heartbeatInterval must be a positive number, got NaN'],
      ['fast', 'eventStreams must be an object: { heartbeatInterval, retention, … }'],
    ] as const) {
      const error = await startExoCom({ port: 0, eventStreams: eventStreams as never }).catch(
        (error: unknown) => error,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(text);
    }
  });

  it('ends every stream when the bus closes', async () => {
    const bus = await startBus();
    const stream = await openEventStream(bus.port, { service: 'bank' });
    await bus.close();
    await stream.ended;
    expect(stream.events).toEqual([]);
  });
});
