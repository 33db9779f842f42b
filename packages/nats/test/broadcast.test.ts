import { deferred } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('broadcast', () => {
  it('every service that handles a name gets each message once, however many instances it runs', async () => {
    await using server = await startNatsServer();
    const received: Record<string, string[]> = { audit: [], mailer: [] };
    const allArrived = deferred<void>();
    const service = (serviceName: 'audit' | 'mailer') =>
      startNatsRelay(server.url, serviceName, {
        setup: (relay) =>
          relay.registerHandler('user signed up', (user) => {
            received[serviceName]!.push((user as { name: string }).name);
            if (received.audit!.length === 3 && received.mailer!.length === 3) allArrived.resolve();
          }),
      });
    await using _audit1 = await service('audit');
    await using _audit2 = await service('audit');
    await using _mailer = await service('mailer');
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    for (const name of ['Ada', 'Grace', 'Linus']) await web.send('user signed up', { name }).sent;
    await allArrived.promise;
    expect(received.audit!.sort()).toEqual(['Ada', 'Grace', 'Linus']);
    expect(received.mailer!.sort()).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('a broadcast request collects replies from each service until the first final one', async () => {
    await using server = await startNatsServer();
    await using inventory = await startNatsRelay(server.url, 'inventory', {
      setup: (relay) =>
        relay.registerHandler('order placed', async (_order, { reply }) => {
          await reply.progress('stock reserved');
        }),
    });
    await using billing = await startNatsRelay(server.url, 'billing', {
      setup: (relay) => relay.registerHandler('order placed', (_order, { reply }) => reply('invoiced', { total: 12 })),
    });
    await using web = await startNatsRelay(server.url, 'web');
    const final = await web.request('order placed', { id: 7 });
    expect(final).toMatchObject({ outcome: 'invoiced', sender: 'billing', payload: { total: 12 } });
    expect(web.stats.pendingReplyStreams).toBe(0);
    await expect.poll(() => inventory.stats.activeHandlers + billing.stats.activeHandlers).toBe(0);
  });
});
