import { collect } from '@exorelay/conformance';
import { NoRespondersError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsCluster } from './support/nats-cluster.js';
import { startNatsRelay } from './support/relays.js';

describe('cluster routing', () => {
  it('a request sent through server A is answered by a service connected to server C', async () => {
    await using cluster = await startNatsCluster(3);
    const [a, , c] = cluster.servers;
    await using files = await startNatsRelay(c!.url, 'files', {
      setup: (relay) =>
        relay.registerHandler('file.copy', async (_payload, { reply }) => {
          for (const percent of [25, 50, 75]) await reply.progress('file.copying', percent);
          await reply('file.copied', { server: 'C' });
        }),
    });
    await using web = await startNatsRelay(a!.url, 'web');
    await cluster.propagated(2);
    await cluster.propagated(0);
    const replies = await collect(web.send('file.copy', {}));
    expect(replies.map((reply) => [reply.outcome, reply.payload])).toEqual([
      ['file.copying', 25],
      ['file.copying', 50],
      ['file.copying', 75],
      ['file.copied', { server: 'C' }],
    ]);
    expect(replies.every((reply) => reply.sender === 'files')).toBe(true);
    expect(files.serviceName).toBe('files');
  });

  it('instances of one service on different servers still share the load', async () => {
    await using cluster = await startNatsCluster(3);
    const handledOn: string[] = [];
    const worker = async (index: number) => {
      const relay = await startNatsRelay(cluster.servers[index]!.url, 'worker', {
        setup: (relay) =>
          relay.registerHandler('job', (_n, { reply }) => {
            handledOn.push(`s${index + 1}`);
            return reply('done');
          }),
      });
      await cluster.propagated(index);
      return relay;
    };
    await using _onB = await worker(1);
    await using _onC = await worker(2);
    await using web = await startNatsRelay(cluster.servers[0]!.url, 'web');
    await cluster.propagated(0);
    await Promise.all(Array.from({ length: 60 }, (_, n) => web.request('job', n)));
    expect(handledOn).toHaveLength(60);
    expect(new Set(handledOn)).toEqual(new Set(['s2', 's3']));
  });

  it('a request no server of the cluster has a receiver for fails with NoRespondersError', async () => {
    await using cluster = await startNatsCluster(3);
    await using web = await startNatsRelay(cluster.servers[1]!.url, 'web');
    await expect(web.request('nobody.anywhere', {}, { timeout: 10_000 })).rejects.toBeInstanceOf(NoRespondersError);
  });
});
