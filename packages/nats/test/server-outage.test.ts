import { deferred } from '@exorelay/conformance';
import { NatsConnectionLostError } from '@exorelay/nats';
import type { ExoRelay, TransportStatus } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

const quickReconnect = { connection: { reconnectTimeWait: 50, reconnectJitter: 10 } };

function status(relay: ExoRelay, type: TransportStatus['type']): Promise<TransportStatus> {
  return pEvent<'status', TransportStatus>(relay, 'status', { filter: (s) => s.type === type, rejectionEvents: [] });
}

describe('NATS server gone and back', () => {
  it('a request whose handler runs through a restart gets its reply', async () => {
    await using server = await startNatsServer();
    const entered = deferred<void>();
    const release = deferred<void>();
    await using worker = await startNatsRelay(server.url, 'worker', {
      transport: quickReconnect,
      setup: (relay) =>
        relay.registerHandler('slow', async (n, { reply }) => {
          entered.resolve();
          await release.promise;
          await reply('done', n);
        }),
    });
    await using web = await startNatsRelay(server.url, 'web', { transport: quickReconnect });
    const answer = web.request('slow', 7, { timeout: Number.POSITIVE_INFINITY });
    await entered.promise;
    const lost = Promise.all([status(worker, 'reconnecting'), status(web, 'reconnecting')]);
    await server.stop();
    await lost;
    // The handler replies while the server is down: the reply waits for the connection.
    release.resolve();
    const back = Promise.all([status(worker, 'online'), status(web, 'online')]);
    await server.restart();
    await back;
    expect((await answer).payload).toBe(7);
  });

  it('a request that waits without a timeout ends with NatsConnectionLostError once the server stays away for reconnectWait', async () => {
    await using server = await startNatsServer();
    const received = deferred<void>();
    await using _worker = await startNatsRelay(server.url, 'worker', {
      setup: (relay) => relay.registerHandler('never', () => received.resolve()),
    });
    await using web = await startNatsRelay(server.url, 'web', {
      transport: { ...quickReconnect, reconnectWait: 300 },
    });
    const answer = web.request('never', undefined, { timeout: Number.POSITIVE_INFINITY });
    await received.promise;
    await server.stop();
    const error = await answer.catch((error: Error) => error);
    expect(error).toBeInstanceOf(NatsConnectionLostError);
    expect(error).toMatchObject({ code: 'EXORELAY_NATS_CONNECTION_LOST', lostForMs: 300 });
    expect(web.stats.pendingReplyStreams).toBe(0);
  });
});
