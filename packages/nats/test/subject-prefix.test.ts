import { NoRespondersError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('subject prefix', () => {
  it('relays under different prefixes share a server without seeing each other', async () => {
    await using server = await startNatsServer();
    const echo = (subjectPrefix: string) =>
      startNatsRelay(server.url, 'billing service', {
        transport: { subjectPrefix },
        setup: (relay) => relay.registerHandler('invoice', (_payload, { reply }) => reply('invoiced', subjectPrefix)),
      });
    await using _staging = await echo('acme.staging');
    await using _production = await echo('acme.production');
    await using web = await startNatsRelay(server.url, 'web', {
      transport: { subjectPrefix: 'acme.staging' },
      listen: false,
    });
    await using elsewhere = await startNatsRelay(server.url, 'web', { listen: false });
    expect((await web.request('invoice')).payload).toBe('acme.staging');
    await expect(elsewhere.request('invoice')).rejects.toBeInstanceOf(NoRespondersError);
  });
});
