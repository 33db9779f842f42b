import { INSTANCE_HEADER } from '@exorelay/protocol';
import { describe, expect, it } from 'vitest';
import { startScript } from './support/child-process.js';
import { openEventStream } from './support/event-stream-client.js';
import { eventually, startBus, startService } from './support/landscape.js';
import { type PeerDelivery, startPeer } from './support/peer.js';

/** POSTs a reply to the bus as the instance `instance` of `sender` would. */
async function reply(busPort: number, name: string, envelope: Record<string, unknown>, instance: string) {
  const response = await fetch(`http://127.0.0.1:${busPort}/send/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [INSTANCE_HEADER]: instance },
    body: JSON.stringify(envelope),
  });
  expect(response.status).toBe(200);
  await response.text();
}

const errorReplies = (received: PeerDelivery[]) => received.filter(({ name }) => name === 'exo.error');

describe('an instance the bus gives up on while it owes a reply', () => {
  it('after a progress reply: the requester gets DELIVERY_FAILED numbered after the progress (seq 1), not a duplicate seq 0', async () => {
    await using bus = await startBus({ eventStreams: { retention: 100 } });
    const worker = await openEventStream(bus.port, { service: 'worker', receives: ['work'] });
    await using web = await startPeer(bus.port, 'web');

    await web.send('work', { requestId: 'job-1' });
    const [event] = await worker.waitForEvents(1);
    expect(JSON.parse(event!.data)).toMatchObject({ requestId: 'job-1' });
    await reply(
      bus.port,
      'work.progress',
      { sender: 'worker', requestId: 'p1', responseTo: 'job-1', seq: 0, more: true, payload: 50 },
      worker.instance,
    );
    await eventually(() => web.received.length === 1);
    await worker.close();

    await eventually(() => errorReplies(web.received).length === 1);
    expect(web.received.map(({ name, envelope }) => [name, envelope.seq])).toEqual([
      ['work.progress', 0],
      ['exo.error', 1],
    ]);
    expect(web.received[1]!.envelope).toMatchObject({
      responseTo: 'job-1',
      payload: { code: 'DELIVERY_FAILED', details: { service: 'worker', instance: worker.instance } },
    });
  });

  it('after a progress reply: a relay requester ends with DELIVERY_FAILED long before its timeout', async () => {
    await using bus = await startBus({ eventStreams: { retention: 100 } });
    const worker = await openEventStream(bus.port, { service: 'worker', receives: ['work'] });
    await using web = await startService(bus, 'web');
    const progress: unknown[] = [];
    const started = Date.now();
    const outcome = web
      .request('work', 1, { timeout: 20_000, onProgress: (update) => progress.push(update.payload) })
      .catch((error: unknown) => error);
    const [event] = await worker.waitForEvents(1);
    const { requestId } = JSON.parse(event!.data) as { requestId: string };
    await reply(
      bus.port,
      'work.progress',
      { sender: 'worker', requestId: 'p1', responseTo: requestId, seq: 0, more: true, payload: 50 },
      worker.instance,
    );
    await eventually(() => progress.length === 1);
    await worker.close();

    expect(await outcome).toMatchObject({ remoteCode: 'DELIVERY_FAILED', details: { service: 'worker' } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a pushed (HTTP) instance that crashes mid-handler: its requester gets DELIVERY_FAILED once the bus notices', async () => {
    await using bus = await startBus({ healthCheckInterval: 50, failureThreshold: 1 });
    // /run answers 200 when the handler starts; the reply would come later, but the process dies.
    const users = await startPeer(bus.port, 'users', { receives: ['users.create'] });
    await using web = await startPeer(bus.port, 'web');

    await web.send('users.create', { requestId: 'create-1' });
    await eventually(() => users.received.length === 1 && bus.counters.delivered === 1);
    await users.close();

    await eventually(() => errorReplies(web.received).length === 1);
    expect(web.received[0]!.envelope).toMatchObject({
      responseTo: 'create-1',
      seq: 0,
      payload: {
        code: 'DELIVERY_FAILED',
        message: expect.stringContaining('stopped answering'),
        details: { service: 'users', instance: users.address },
      },
    });
    expect(bus.status().routes['users.create']).toBeUndefined();
  });

  it('a pushed instance that crashes after a progress reply: the failure reply is numbered after the progress', async () => {
    await using bus = await startBus({ healthCheckInterval: 50, failureThreshold: 1 });
    const users = await startPeer(bus.port, 'users', { receives: ['users.create'] });
    await using web = await startPeer(bus.port, 'web');

    await web.send('users.create', { requestId: 'create-2' });
    await eventually(() => users.received.length === 1);
    await users.send('users.progress', { requestId: 'p1', responseTo: 'create-2', seq: 0, more: true });
    await eventually(() => web.received.length === 1);
    await users.close();

    await eventually(() => errorReplies(web.received).length === 1);
    expect(web.received.map(({ name, envelope }) => [name, envelope.seq])).toEqual([
      ['users.progress', 0],
      ['exo.error', 1],
    ]);
  });

  it('an instance that answered finally owes nothing: its crash sends no failure reply', async () => {
    await using bus = await startBus({ healthCheckInterval: 50, failureThreshold: 1 });
    const users = await startPeer(bus.port, 'users', { receives: ['users.create'] });
    await using web = await startPeer(bus.port, 'web');

    await web.send('users.create', { requestId: 'create-3' });
    await eventually(() => users.received.length === 1);
    await users.send('users.created', { requestId: 'r1', responseTo: 'create-3', seq: 0 });
    await eventually(() => web.received.length === 1);
    await users.close();

    await eventually(() => bus.status().routes['users.create'] === undefined);
    expect(bus.counters.errorReplies).toBe(0);
    expect(web.received.map(({ name }) => name)).toEqual(['users.created']);
  });

  it('a message two services took: the one that answered finally owes nothing, the one that crashed gets DELIVERY_FAILED', async () => {
    await using bus = await startBus({ healthCheckInterval: 50, failureThreshold: 1 });
    const users = await startPeer(bus.port, 'users', { receives: ['users.create'] });
    const audit = await startPeer(bus.port, 'audit', { receives: ['users.create'] });
    await using web = await startPeer(bus.port, 'web');

    await web.send('users.create', { requestId: 'create-4' });
    await eventually(() => users.received.length === 1 && audit.received.length === 1 && bus.counters.delivered === 2);
    await users.send('users.created', { requestId: 'r1', responseTo: 'create-4', seq: 0 });
    await eventually(() => web.received.length === 1);
    await users.close();
    await eventually(() => bus.status().routes['users.create']?.includes('users') === false);
    await audit.close();

    await eventually(() => errorReplies(web.received).length === 1);
    expect(web.received.map(({ name, envelope }) => [name, envelope.payload])).toEqual([
      ['users.created', undefined],
      [
        'exo.error',
        expect.objectContaining({ code: 'DELIVERY_FAILED', details: expect.objectContaining({ service: 'audit' }) }),
      ],
    ]);
    expect(bus.counters.errorReplies).toBe(1);
  });

  it('a pushed instance whose process dies mid-handler (its own process): the relay requester gets DELIVERY_FAILED, not a timeout', async () => {
    await using bus = await startBus({ healthCheckInterval: 50, failureThreshold: 1 });
    await using users = startScript('crashing-receiver.ts', [bus.port]);
    const { port } = await users.next<{ port: number }>();
    await bus.waitForInstance({ service: 'users', port, receives: ['users.create'] });
    await using web = await startService(bus, 'web');

    const outcome = web.request('users.create', {}, { timeout: 20_000 }).catch((error: unknown) => error);

    expect(await users.exited).toBe(1);
    expect(await outcome).toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      remoteMessage: expect.stringContaining('stopped answering'),
      details: { service: 'users', instance: `127.0.0.1:${port}` },
    });
  });
});
