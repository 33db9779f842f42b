import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('load sharing', () => {
  it('two instances of one service share the messages, each message handled once', async () => {
    await using server = await startNatsServer();
    const handledBy: Record<string, number[]> = { first: [], second: [] };
    const worker = (instance: string) =>
      startNatsRelay(server.url, 'worker', {
        setup: (relay) =>
          relay.registerHandler('job', (n, { reply }) => {
            handledBy[instance]!.push(n as number);
            return reply('done', instance);
          }),
      });
    await using first = await worker('first');
    await using second = await worker('second');
    await using web = await startNatsRelay(server.url, 'web');
    const jobs = Array.from({ length: 60 }, (_, n) => n);
    const replies = await Promise.all(jobs.map((n) => web.request('job', n)));
    // Each job went to exactly one instance, and both instances got some (the server picks at random).
    expect([...handledBy.first!, ...handledBy.second!].sort((a, b) => a - b)).toEqual(jobs);
    expect(handledBy.first!.length).toBeGreaterThan(0);
    expect(handledBy.second!.length).toBeGreaterThan(0);
    expect(new Set(replies.map((reply) => reply.payload))).toEqual(new Set(['first', 'second']));
    await expect.poll(() => first.stats.activeHandlers + second.stats.activeHandlers).toBe(0);
  });
});
