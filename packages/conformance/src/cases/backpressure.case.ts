import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { deferred } from '../support.js';

export const backpressureCases: CaseGroup = {
  'a busy instance runs at most maxConcurrentHandlers at once, and every request is answered': async (fixture) => {
    const release = deferred<void>();
    const twoRunning = deferred<void>();
    let running = 0;
    let mostAtOnce = 0;
    const worker = await fixture.createRelay('reports', {
      relayOptions: { maxConcurrentHandlers: 2 },
      setup: (relay) =>
        relay.registerHandler('reports.build', async (payload, { reply }) => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          if (running === 2) twoRunning.resolve();
          await release.promise;
          running -= 1;
          await reply('reports.built', payload);
        }),
    });
    const web = await fixture.createRelay('web');
    const answers = Promise.all(Array.from({ length: 6 }, (_, index) => web.request('reports.build', index)));
    await twoRunning.promise;
    expect(worker.stats.activeHandlers).toBe(2);
    release.resolve();
    expect((await answers).map((answer) => answer.payload)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(mostAtOnce).toBe(2);
  },
};
