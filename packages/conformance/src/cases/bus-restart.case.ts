import { setTimeout as delay } from 'node:timers/promises';
import { isExoRelayError } from 'exorelay';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { deferred } from '../support.js';

/** How long a waiter may take to end after its bus went away: seconds, not its 30 s timeout. */
const BOUND_MS = 8_000;

/** Asks until an answer comes (the relays register again on their own), failing after `bound` ms. */
async function answeredWithin(bound: number, ask: () => Promise<{ payload: unknown }>): Promise<unknown> {
  const deadline = performance.now() + bound;
  for (;;) {
    try {
      return (await ask()).payload;
    } catch (error) {
      if (performance.now() > deadline)
        throw new Error(`no answer within ${bound} ms after the restart`, { cause: error });
      await delay(50);
    }
  }
}

export const busRestartCases: CaseGroup = {
  'when the bus restarts, every waiter ends in bounded time (reply or typed error), and relays serve again': async (
    fixture,
  ) => {
    const held = deferred<void>();
    const release = deferred<void>();
    let holding = 0;
    await fixture.createRelay('users', {
      setup: (relay) =>
        relay.registerHandler('users.list', async (payload, { reply }) => {
          if (payload === 'hold') {
            holding += 1;
            if (holding === 4) held.resolve();
            // Answers only once the bus is back: a bus that forgot the way back drops it.
            await release.promise;
          }
          await reply('users.listed', 'ok');
        }),
    });
    const web = await fixture.createRelay('web');
    web.on('error', () => {});
    const waiting = Array.from({ length: 3 }, () => web.request('users.list', 'hold', { timeout: 30_000 }));
    const streamed = (async () => {
      const replies: unknown[] = [];
      for await (const reply of web.send('users.list', 'hold', { timeout: Number.POSITIVE_INFINITY })) {
        replies.push(reply.payload);
      }
      return replies;
    })();
    await held.promise;
    const started = performance.now();
    await fixture.restartBus();
    release.resolve();
    const outcomes = await Promise.allSettled([...waiting, streamed]);
    const elapsed = performance.now() - started;
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(isExoRelayError(outcome.reason), String(outcome.reason)).toBe(true);
    }
    expect(elapsed).toBeLessThan(BOUND_MS);
    expect(await answeredWithin(BOUND_MS, () => web.request('users.list', 'again', { timeout: 1_000 }))).toBe('ok');
  },
};
