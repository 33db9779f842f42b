import { natsTransport } from '@exorelay/nats';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('unregistering a handler', () => {
  it('leaves the queue group, so the service’s other instance gets every message', async () => {
    await using server = await startNatsServer();
    const transport = natsTransport({ servers: server.url });
    const leaving = new ExoRelay({ serviceName: 'worker', transport });
    leaving.registerHandler('job', (_n, { reply }) => reply('done', 'leaving'));
    await leaving.listen();
    try {
      await using _staying = await startNatsRelay(server.url, 'worker', {
        setup: (relay) => relay.registerHandler('job', (_n, { reply }) => reply('done', 'staying')),
      });
      await using web = await startNatsRelay(server.url, 'web', { listen: false });
      expect(leaving.unregisterHandler('job')).toBe(true);
      await transport.subscriptionsSettled();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          web.request('job', n).then(
            (reply) => reply.payload,
            (error: Error) => error,
          ),
        ),
      );
      expect(outcomes).toEqual(Array.from({ length: 20 }, () => 'staying'));
    } finally {
      await leaving.close();
    }
  });

  it('takes the name back when the handler is registered again', async () => {
    await using server = await startNatsServer();
    const transport = natsTransport({ servers: server.url });
    const worker = new ExoRelay({ serviceName: 'worker', transport });
    worker.registerHandler('job', (_n, { reply }) => reply('done'));
    await worker.listen();
    try {
      await using web = await startNatsRelay(server.url, 'web', { listen: false });
      worker.unregisterHandler('job');
      await transport.subscriptionsSettled();
      await expect(web.request('job')).rejects.toMatchObject({ code: 'EXORELAY_NO_RESPONDERS' });
      worker.registerHandler('job', (_n, { reply }) => reply('done again'));
      await transport.subscriptionsSettled();
      expect((await web.request('job')).outcome).toBe('done again');
    } finally {
      await worker.close();
    }
  });
});
