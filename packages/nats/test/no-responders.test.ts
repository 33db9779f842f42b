import { NoRespondersError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('no responders', () => {
  it('says receivers: 0 for a message nobody subscribes to, and nothing when someone does', async () => {
    await using server = await startNatsServer();
    await using _receiver = await startNatsRelay(server.url, 'receiver', {
      setup: (relay) => relay.registerHandler('handled', () => {}),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    expect(await web.send('not handled').sent).toEqual({ receivers: 0 });
    expect(await web.send('handled').sent).toEqual({});
  });

  it('fails requests at once once the last instance of the receiving service closed', async () => {
    await using server = await startNatsServer();
    const receiver = await startNatsRelay(server.url, 'receiver', {
      setup: (relay) => relay.registerHandler('ping', (_payload, { reply }) => reply('pong')),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    expect((await web.request('ping')).outcome).toBe('pong');
    await receiver.close();
    const error = await web.request('ping', undefined, { timeout: 20_000 }).catch((error: Error) => error);
    expect(error).toBeInstanceOf(NoRespondersError);
    expect(error).toMatchObject({ code: 'EXORELAY_NO_RESPONDERS', messageName: 'ping' });
    expect(web.stats.pendingReplyStreams).toBe(0);
  });

  it('tells apart no responders of many messages sent in the same tick', async () => {
    await using server = await startNatsServer();
    await using _receiver = await startNatsRelay(server.url, 'receiver', {
      setup: (relay) => relay.registerHandler('even', () => {}),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const receipts = await Promise.all(
      Array.from({ length: 200 }, (_, n) => web.send(n % 2 === 0 ? 'even' : 'odd', n).sent),
    );
    receipts.forEach((receipt, n) => {
      if (n % 2 === 0) expect(receipt.receivers).toBeUndefined();
      else expect(receipt.receivers).toBe(0);
    });
  });
});
