import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { deferred } from '../support.js';

export const instanceCases: CaseGroup = {
  'two instances of a service share its messages': async (fixture) => {
    const counts = new Map<string, number>();
    for (const id of ['first', 'second']) {
      await fixture.createRelay('users', {
        setup: (relay) =>
          relay.registerHandler('users.list', async (_payload, { reply }) => {
            counts.set(id, (counts.get(id) ?? 0) + 1);
            await reply('users.listed', id);
          }),
      });
    }
    const web = await fixture.createRelay('web');
    for (let index = 0; index < 40; index += 1) await web.request('users.list');
    expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBe(40);
    // Round robin over HTTP, random queue-group picks over NATS: both get a share.
    expect(counts.get('first')).toBeGreaterThan(0);
    expect(counts.get('second')).toBeGreaterThan(0);
  },

  'closing one of two instances while requests flow fails none of them': async (fixture) => {
    const slowStarted = deferred<void>();
    const releaseSlow = deferred<void>();
    let slowTaken = false;
    const leaving = await fixture.createRelay('users', {
      setup: (relay) =>
        relay.registerHandler('users.list', async (payload, { reply }) => {
          if (payload === 'slow' && !slowTaken) {
            slowTaken = true;
            slowStarted.resolve();
            await releaseSlow.promise;
          }
          await reply('users.listed', 'leaving');
        }),
    });
    await fixture.createRelay('users', {
      setup: (relay) => relay.registerHandler('users.list', (_payload, { reply }) => reply('users.listed', 'staying')),
    });
    const web = await fixture.createRelay('web');
    // Until the leaving instance holds the slow request, send slow ones (either instance may take them).
    const slow: Promise<unknown>[] = [];
    while (!slowTaken) {
      slow.push(web.request('users.list', 'slow'));
      await Promise.race([slowStarted.promise, slow.at(-1)]);
    }
    const closed = leaving.close();
    // A steady stream of requests while the instance stops receiving, drains and leaves.
    const during: Promise<unknown>[] = [];
    let closing = true;
    void closed.finally(() => {
      closing = false;
    });
    const flow = (async () => {
      while (closing) {
        const request = web.request('users.list', 'fast');
        during.push(request);
        await request.catch(() => {});
      }
    })();
    releaseSlow.resolve();
    await closed;
    await flow;
    const after = await Promise.all(Array.from({ length: 10 }, () => web.request('users.list', 'fast')));
    const settled = await Promise.allSettled([...slow, ...during]);
    expect(settled.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(after.map((answer) => answer.payload)).toEqual(Array(10).fill('staying'));
  },
};
