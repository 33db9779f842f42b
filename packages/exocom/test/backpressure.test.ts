import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';
import { startPeer } from './support/peer.js';

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** A `users` instance whose `/run` answers only once `opened` resolves: a receiver that holds its deliveries. */
function startGatedPeer(busPort: number, opened: Promise<void>) {
  return startPeer(busPort, 'users', {
    receives: ['users.create'],
    answer: async () => {
      await opened;
      return 200;
    },
  });
}

describe('backpressure', () => {
  it('answers POST /send with 503, retry-after and a clear text when every receiving instance stays full for maxSendWait; takes sends again once they drain', async () => {
    await using bus = await startBus({ maxInFlightPerInstance: 2, maxQueuedPerInstance: 3, maxSendWait: 200 });
    const handlers = gate();
    await using users = await startGatedPeer(bus.port, handlers.opened);
    await using web = await startPeer(bus.port, 'web');

    for (let index = 0; index < 5; index += 1) {
      expect(await web.send('users.create', { requestId: `r${index}` })).toMatchObject({ status: 200 });
    }
    const refusal = await fetch(`http://127.0.0.1:${bus.port}/send/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'web', requestId: 'r5' }),
    });

    expect(refusal.status).toBe(503);
    expect(refusal.headers.get('retry-after')).toBe('1');
    expect(await refusal.text()).toBe(
      "the bus is busy: it holds the most messages it may for every instance of 'users', the receiver of 'users.create'; retry later",
    );
    expect(users.received).toHaveLength(2);
    expect(bus.status().services.find((s) => s.name === 'users')!.instances[0]!.inFlight).toBe(2);
    handlers.open();
    await eventually(() => users.received.length === 5);
    // The refused send was not routed: the sender's retry is.
    expect(await web.send('users.create', { requestId: 'r5' })).toMatchObject({ status: 200 });
    await eventually(() => users.received.length === 6);
    expect(bus.counters).toMatchObject({ refusedBusy: 1, heldSends: 1 });
  });

  it('holds the answer to a send while the receivers are full and routes it once they have room: the sender is slowed, not refused', async () => {
    await using bus = await startBus({ maxInFlightPerInstance: 1, maxQueuedPerInstance: 1 });
    const handlers = gate();
    await using users = await startGatedPeer(bus.port, handlers.opened);
    await using web = await startPeer(bus.port, 'web');
    await web.send('users.create', { requestId: 'r0' });
    await web.send('users.create', { requestId: 'r1' });

    let answered = false;
    const held = web.send('users.create', { requestId: 'r2' }).then((answer) => {
      answered = true;
      return answer;
    });
    await eventually(() => bus.counters.heldSends === 1);
    expect(answered).toBe(false);
    handlers.open();

    expect(await held).toEqual({ status: 200, body: '{"receivers":1}' });
    await eventually(() => users.received.length === 3);
    expect(bus.counters).toMatchObject({ refusedBusy: 0, heldSends: 1 });
  });

  it('sends a message an instance refused as busy (503) to a sibling: the requester gets the reply', async () => {
    await using bus = await startBus({ loadBalancing: 'round-robin' });
    await using busy = await startPeer(bus.port, 'users', {
      receives: ['users.get'],
      answer: () => ({ status: 503, headers: { 'retry-after': '30' } }),
    });
    await using _free = await startService(bus, 'users', { 'users.get': (_p, { reply }) => reply('users.found') });
    await using web = await startService(bus, 'web');

    for (let index = 0; index < 4; index += 1) {
      await expect(web.request('users.get', index)).resolves.toMatchObject({ outcome: 'users.found' });
    }
    expect(busy.received.length).toBeGreaterThan(0);
  });

  it('waits out the retry-after of the only instance when it is busy briefly: the requester gets the reply', async () => {
    await using bus = await startBus();
    let refusals = 0;
    await using users = await startPeer(bus.port, 'users', {
      receives: ['users.create'],
      answer: ({ envelope }) => {
        if (refusals < 2) {
          refusals += 1;
          return { status: 503, headers: { 'retry-after': '0.05' } };
        }
        setImmediate(
          () => void users.send('users.created', { requestId: 'c1', responseTo: envelope.requestId, seq: 0 }),
        );
        return 200;
      },
    });
    await using web = await startService(bus, 'web');

    await expect(web.request('users.create')).resolves.toMatchObject({ outcome: 'users.created' });
    expect(users.received).toHaveLength(3);
  });

  it('tells the requester DELIVERY_FAILED "… is busy" when every instance stays busy past maxBusyWait', async () => {
    await using bus = await startBus({ maxBusyWait: 300 });
    await using users = await startPeer(bus.port, 'users', {
      receives: ['users.create'],
      answer: () => ({ status: 503, headers: { 'retry-after': '0.1' } }),
    });
    await using web = await startService(bus, 'web');

    await expect(web.request('users.create', {}, { timeout: 10_000 })).rejects.toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      remoteMessage: expect.stringContaining("could not deliver 'users.create' to users: users is busy: status 503"),
      details: { service: 'users' },
    });
    expect(users.received.length).toBeGreaterThanOrEqual(3);
    expect(users.received.length).toBeLessThanOrEqual(5);
  });

  it('does not route a held send whose sender gave up (closed the connection): its retry will be routed once, not twice', async () => {
    await using bus = await startBus({ maxInFlightPerInstance: 1, maxQueuedPerInstance: 1 });
    const handlers = gate();
    await using users = await startGatedPeer(bus.port, handlers.opened);
    await using web = await startPeer(bus.port, 'web');
    await web.send('users.create', { requestId: 'r0' });
    await web.send('users.create', { requestId: 'r1' });
    const giveUp = new AbortController();
    const abandoned = fetch(`http://127.0.0.1:${bus.port}/send/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'web', requestId: 'r2' }),
      signal: giveUp.signal,
    }).catch((error: unknown) => error);
    await eventually(() => bus.counters.heldSends === 1);

    giveUp.abort();
    await abandoned;
    await eventually(() => bus.counters.refusedBusy === 1);
    handlers.open();
    await eventually(() => users.received.length === 2);
    await web.send('users.create', { requestId: 'r3' });

    await eventually(() => users.received.length === 3);
    expect(users.received.map(({ envelope }) => envelope.requestId)).toEqual(['r0', 'r1', 'r3']);
  });
});
