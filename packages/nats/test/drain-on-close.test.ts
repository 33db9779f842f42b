import { deferred } from '@exorelay/conformance';
import { natsTransport } from '@exorelay/nats';
import { ExoRelay, NoRespondersError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('drain on close', () => {
  it('finishes running handlers and sends their replies; new work finds no instance at once', async () => {
    await using server = await startNatsServer();
    const entered = deferred<void>();
    const release = deferred<void>();
    const transport = natsTransport({ servers: server.url });
    const worker = new ExoRelay({ serviceName: 'worker', transport });
    worker.registerHandler('work', async (n, { reply }) => {
      entered.resolve();
      await release.promise;
      for (let step = 0; step < 50; step += 1) void reply.progress('working', step);
      await reply('worked', n);
    });
    await worker.listen();
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const progress: unknown[] = [];
    const first = web.request('work', 1, { onProgress: (reply) => progress.push(reply.payload) });
    await entered.promise;
    const closed = worker.close();
    // The worker left its queue group first: NATS has nobody to route new work to, and says so.
    await transport.subscriptionsSettled();
    await expect(web.request('work', 2, { timeout: 20_000 })).rejects.toBeInstanceOf(NoRespondersError);
    release.resolve();
    await closed;
    expect(await first).toMatchObject({ outcome: 'worked', payload: 1 });
    expect(progress).toEqual(Array.from({ length: 50 }, (_, step) => step));
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
