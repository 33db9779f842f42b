import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';
import { type Peer, startPeer } from './support/peer.js';

/** A `users` instance at the wire level that, like a relay, answers `/run` when its handler starts and replies later. */
async function startUsers(busPort: number, handlerTime: () => number) {
  const running = new Set<Promise<unknown>>();
  const peer: Peer = await startPeer(busPort, 'users', {
    receives: ['users.get'],
    answer: ({ envelope }) => {
      const handler = delay(handlerTime()).then(() =>
        peer.send('users.found', { requestId: `re-${envelope.requestId}`, responseTo: envelope.requestId, seq: 0 }),
      );
      running.add(handler);
      void handler.finally(() => running.delete(handler));
      return 200;
    },
  });
  return Object.assign(peer, {
    /** What a relay's close does: deregister, let running handlers reply, stop listening. */
    async closeGracefully() {
      await peer.deregister().catch(() => undefined);
      await Promise.all(running);
      await peer.close();
    },
  });
}

describe('a rolling restart', () => {
  it('one of two instances deregisters with a slow handler in flight and stops: no requester sees an error', async () => {
    await using bus = await startBus({ healthCheckInterval: 0 });
    const leaving = await startUsers(bus.port, () => 150);
    await using _staying = await startUsers(bus.port, () => 5);
    await using web = await startService(bus, 'web');
    const outcomes: Promise<unknown>[] = [];
    let stop = false;
    const stream = (async () => {
      // Requests flow until the instance left, and ten more after.
      for (let index = 0, afterStop = 0; afterStop < 10; index += 1) {
        if (stop) afterStop += 1;
        outcomes.push(
          web.request('users.get', index, { timeout: 10_000 }).then(
            (reply) => reply.outcome,
            (error: unknown) => error,
          ),
        );
        await delay(2);
      }
    })();
    await eventually(() => leaving.received.length >= 5);

    await leaving.deregister();
    const routedBeforeLeaving = bus.flows.length;
    await leaving.closeGracefully();
    const afterLeave = outcomes.length;
    stop = true;
    await stream;

    const results = await Promise.all(outcomes);
    expect(results.filter((result) => result !== 'users.found')).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(afterLeave);
    // Routed to the leaving instance only before it deregistered (those still arrived and were answered).
    const routedToLeaving = bus.flows
      .slice(routedBeforeLeaving)
      .filter((flow) => flow.kind === 'message' && flow.receivers.some((r) => r.instance === leaving.address));
    expect(routedToLeaving).toEqual([]);
    expect(bus.status().routes['users.get']).toEqual(['users']);
    expect(bus.counters).toMatchObject({ failed: 0, errorReplies: 0 });
  });

  it('deregistration takes an instance out of routing at once, while messages already queued for it go to the sibling', async () => {
    await using bus = await startBus({ healthCheckInterval: 0, maxInFlightPerInstance: 1 });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await using leaving = await startPeer(bus.port, 'users', {
      receives: ['users.get'],
      answer: async () => {
        await held;
        return 200;
      },
    });
    await using staying = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    await using web = await startPeer(bus.port, 'web');
    // Round robin: r0 → leaving (held in flight), r1 → staying, r2 → leaving (queued behind r0) …
    for (let index = 0; index < 4; index += 1) await web.send('users.get', { requestId: `r${index}` });
    await eventually(() => leaving.received.length === 1 && staying.received.length === 2);

    await leaving.deregister();
    release();

    await eventually(() => staying.received.length === 3);
    expect(leaving.received.map(({ envelope }) => envelope.requestId)).toEqual(['r0']);
    expect(staying.received.map(({ envelope }) => envelope.requestId).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(bus.counters.failed).toBe(0);
  });
});
