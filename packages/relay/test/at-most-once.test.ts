import { deferred } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { listeningRelay, postRun } from './support/relay-fixture.js';

describe('handlers run at most once per message', () => {
  it('runs the handler once when the same envelope is POSTed twice; both POSTs get 200', async () => {
    let runs = 0;
    await using relay = await listeningRelay(1, {
      http: { register: false },
      setup: (relay) =>
        relay.registerHandler('payments.transfer', () => {
          runs += 1;
        }),
    });
    const envelope = { sender: 'web', requestId: 'r-1', payload: { amount: 10 }, oneWay: true };
    const first = await postRun(relay.port!, 'payments.transfer', envelope);
    const second = await postRun(relay.port!, 'payments.transfer', envelope);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(runs).toBe(1);
  });

  it('tells a repeat from another sender’s message with the same requestId', async () => {
    let runs = 0;
    await using relay = await listeningRelay(1, {
      http: { register: false },
      setup: (relay) =>
        relay.registerHandler('payments.transfer', () => {
          runs += 1;
        }),
    });
    await postRun(relay.port!, 'payments.transfer', { sender: 'web', requestId: 'same', oneWay: true });
    await postRun(relay.port!, 'payments.transfer', { sender: 'cli', requestId: 'same', oneWay: true });
    expect(runs).toBe(2);
  });

  it('answers a repeat that arrives while the first run is still going without starting a second', async () => {
    const release = deferred<void>();
    let runs = 0;
    await using relay = await listeningRelay(1, {
      http: { register: false },
      setup: (relay) =>
        relay.registerHandler('payments.transfer', async () => {
          runs += 1;
          await release.promise;
        }),
    });
    const envelope = { sender: 'web', requestId: 'r-2', oneWay: true };
    const [first, second] = await Promise.all([
      postRun(relay.port!, 'payments.transfer', envelope),
      postRun(relay.port!, 'payments.transfer', envelope),
    ]);
    release.resolve();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(runs).toBe(1);
  });
});
