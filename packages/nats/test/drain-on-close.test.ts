import { deferred } from '@exorelay/conformance';
import { NoRespondersError, RemoteError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('drain on close', () => {
  it('finishes running handlers and sends their replies; work that arrives meanwhile fails fast', async () => {
    await using server = await startNatsServer();
    const entered = deferred<void>();
    const release = deferred<void>();
    const worker = await startNatsRelay(server.url, 'worker', {
      setup: (relay) =>
        relay.registerHandler('work', async (n, { reply }) => {
          entered.resolve();
          await release.promise;
          for (let step = 0; step < 50; step += 1) void reply.progress('working', step);
          await reply('worked', n);
        }),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const progress: unknown[] = [];
    const first = web.request('work', 1, { onProgress: (reply) => progress.push(reply.payload) });
    await entered.promise;
    const closed = worker.close();
    // The worker is closing: it refuses new work, and the requester hears so instead of timing out.
    const refused = await web.request('work', 2, { timeout: 20_000 }).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(RemoteError);
    expect(refused).toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      details: { service: 'worker', reason: 'the relay is closing' },
    });
    expect((refused as RemoteError).remoteMessage).toContain('closing');
    release.resolve();
    await closed;
    expect(await first).toMatchObject({ outcome: 'worked', payload: 1 });
    expect(progress).toEqual(Array.from({ length: 50 }, (_, step) => step));
    // Closed for good: its subscriptions are gone.
    await expect(web.request('work', 3)).rejects.toBeInstanceOf(NoRespondersError);
  });

  it('close() resolves with nothing left running, and reports offline', async () => {
    await using server = await startNatsServer();
    const relay = await startNatsRelay(server.url, 'worker', {
      setup: (relay) => relay.registerHandler('quick', (_payload, { reply }) => reply('done')),
    });
    const statuses: string[] = [];
    relay.on('status', (status) => statuses.push(status.type));
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    await Promise.all(Array.from({ length: 100 }, () => web.request('quick')));
    await relay.close();
    expect(relay.stats).toEqual({ pendingReplyStreams: 0, activeHandlers: 0 });
    expect(statuses).toEqual(['offline']);
  });
});
