import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';

// Small on purpose: this proves each transport leaves nothing behind. The soak with 100 000s of
// messages and heap readings is scenario 6 of the benchmarks (bench/scenarios/memory-soak.ts).
const fireAndForget = 2_000;
const requests = 500;
const window = 250;

export const stateCases: CaseGroup = {
  [`keeps no state after ${fireAndForget} fire-and-forget sends and ${requests} requests`]: async (fixture) => {
    let received = 0;
    const service = await fixture.createRelay('sink', {
      setup: (relay) => {
        relay.registerHandler('event', () => {
          received += 1;
        });
        relay.registerHandler('ask', (payload, { reply }) => reply('answered', payload));
      },
    });
    const client = await fixture.createRelay('client');
    for (let sent = 0; sent < fireAndForget; sent += window) {
      const batch = Array.from({ length: window }, (_, index) => client.send('event', sent + index).sent);
      await Promise.all(batch);
    }
    for (let sent = 0; sent < requests; sent += window) {
      const batch = Array.from({ length: window }, (_, index) => client.request('ask', sent + index));
      const replies = await Promise.all(batch);
      expect(replies.at(-1)?.payload).toBe(sent + window - 1);
    }
    await expect.poll(() => received, { timeout: 20_000 }).toBe(fireAndForget);
    await expect.poll(() => service.stats.activeHandlers).toBe(0);
    expect(client.stats).toEqual({ pendingReplyStreams: 0, activeHandlers: 0 });
    expect(service.stats.pendingReplyStreams).toBe(0);
  },
};
