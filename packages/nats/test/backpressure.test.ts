import { deferred } from '@exorelay/conformance';
import { NoRespondersError } from 'exorelay';
import { describe, expect, it, vi } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('backpressure', () => {
  it('a burst at a service with maxConcurrentHandlers: 2 is answered in full, two handlers at a time', async () => {
    await using server = await startNatsServer();
    let running = 0;
    let mostAtOnce = 0;
    let entered = 0;
    const twoEntered = deferred<void>();
    const release = deferred<void>();
    await using _worker = await startNatsRelay(server.url, 'worker', {
      relayOptions: { maxConcurrentHandlers: 2 },
      setup: (relay) =>
        relay.registerHandler('slow', async (n, { reply }) => {
          running += 1;
          entered += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          if (entered === 2) twoEntered.resolve();
          await release.promise;
          running -= 1;
          await reply('done', n);
        }),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const burst = Array.from({ length: 40 }, (_, n) => web.request('slow', n, { timeout: 20_000 }));
    await twoEntered.promise;
    release.resolve();
    const replies = await Promise.all(burst);
    expect(replies.map((reply) => reply.payload)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect(mostAtOnce).toBe(2);
  });

  it('while saturated, the other instance of the service takes the new work', async () => {
    await using server = await startNatsServer();
    const release = deferred<void>();
    const busyEntered = deferred<void>();
    await using _busy = await startNatsRelay(server.url, 'worker', {
      relayOptions: { maxConcurrentHandlers: 1 },
      setup: (relay) =>
        relay.registerHandler('job', async (_n, { reply }) => {
          busyEntered.resolve();
          await release.promise;
          await reply('done', 'busy');
        }),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const first = web.request('job', 0, { timeout: 20_000 });
    await busyEntered.promise;
    // Saturated for a moment, the instance leaves its queue group: with no other instance, NATS says nobody listens.
    await vi.waitFor(() => expect(web.request('job', -1, { timeout: 200 })).rejects.toBeInstanceOf(NoRespondersError), {
      timeout: 5_000,
    });
    await using _free = await startNatsRelay(server.url, 'worker', {
      setup: (relay) => relay.registerHandler('job', (_n, { reply }) => reply('done', 'free')),
    });
    const next = await Promise.all(Array.from({ length: 20 }, (_, n) => web.request('job', n + 1)));
    expect(next.map((reply) => reply.payload)).toEqual(Array.from({ length: 20 }, () => 'free'));
    release.resolve();
    expect((await first).payload).toBe('busy');
  });
});
