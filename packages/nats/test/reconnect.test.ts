import { setTimeout as delay } from 'node:timers/promises';
import { NatsDisconnectedError, NatsUnreachableError } from '@exorelay/nats';
import { type ExoRelay, NoRespondersError, TimeoutError, type TransportStatus } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

const quickReconnect = { connection: { reconnectTimeWait: 50, reconnectJitter: 10 } };

function onlineAgain(relay: ExoRelay): Promise<TransportStatus> {
  return pEvent<'status', TransportStatus>(relay, 'status', {
    filter: (status) => status.type === 'online',
    rejectionEvents: [],
  });
}

function reconnecting(relay: ExoRelay): Promise<TransportStatus> {
  return pEvent<'status', TransportStatus>(relay, 'status', {
    filter: (status) => status.type === 'reconnecting',
    rejectionEvents: [],
  });
}

describe('reconnect', () => {
  it('reports reconnecting and online, and keeps its handlers across a server restart', async () => {
    await using server = await startNatsServer();
    const statuses: TransportStatus['type'][] = [];
    await using relay = await startNatsRelay(server.url, 'echo', {
      transport: quickReconnect,
      setup: (relay) => {
        relay.on('status', (status) => statuses.push(status.type));
        relay.registerHandler('echo', (payload, { reply }) => reply('echoed', payload));
      },
    });
    expect((await relay.request('echo', 1)).payload).toBe(1);
    // The reply is in, but the handler may still be flushing it: let it finish before the crash.
    await expect.poll(() => relay.stats.activeHandlers).toBe(0);
    const lost = reconnecting(relay);
    await server.stop();
    await lost;
    const online = onlineAgain(relay);
    await server.restart();
    expect(await online).toMatchObject({ type: 'online', address: server.url });
    expect((await relay.request('echo', 2)).payload).toBe(2);
    expect(statuses).toContain('reconnecting');
    expect(statuses.at(-1)).toBe('online');
  });

  it('holds a message sent during the outage until the connection is back', async () => {
    await using server = await startNatsServer();
    await using relay = await startNatsRelay(server.url, 'echo', {
      transport: quickReconnect,
      setup: (relay) => relay.registerHandler('echo', (payload, { reply }) => reply('echoed', payload)),
    });
    const lost = reconnecting(relay);
    await server.stop();
    await lost;
    const answer = relay.request('echo', 'sent while offline');
    await server.restart();
    expect((await answer).payload).toBe('sent while offline');
  });

  it('fails a send with NatsDisconnectedError when the connection stays lost longer than reconnectWait', async () => {
    await using server = await startNatsServer();
    await using relay = await startNatsRelay(server.url, 'web', {
      transport: { ...quickReconnect, reconnectWait: 100 },
    });
    relay.on('error', () => {});
    const lost = reconnecting(relay);
    await server.stop();
    await lost;
    const error = await relay.send('anything').sent.then(
      () => undefined,
      (error: Error) => error,
    );
    expect(error).toBeInstanceOf(NatsDisconnectedError);
    expect(error).toMatchObject({ code: 'EXORELAY_NATS_DISCONNECTED', messageName: 'anything' });
  });

  it('reports offline and an error when the client gives up reconnecting', async () => {
    await using server = await startNatsServer();
    await using relay = await startNatsRelay(server.url, 'web', {
      transport: { connection: { maxReconnectAttempts: 2, reconnectTimeWait: 20, reconnectJitter: 0 } },
    });
    const error = pEvent<'error', Error>(relay, 'error');
    const offline = pEvent<'status', TransportStatus>(relay, 'status', {
      filter: (status) => status.type === 'offline',
      rejectionEvents: [],
    });
    await server.stop();
    expect(await error).toBeInstanceOf(NatsUnreachableError);
    expect(await offline).toMatchObject({ type: 'offline', error: { code: 'EXORELAY_NATS_UNREACHABLE' } });
  });

  it('serves requests again after a restart in the middle of traffic between two services', async () => {
    await using server = await startNatsServer();
    const workerErrors: Error[] = [];
    await using worker = await startNatsRelay(server.url, 'worker', {
      transport: quickReconnect,
      setup: (relay) => {
        relay.on('error', (error) => workerErrors.push(error));
        relay.registerHandler('square', (n, { reply }) => reply('squared', (n as number) ** 2));
      },
    });
    await using web = await startNatsRelay(server.url, 'web', { transport: quickReconnect });
    web.on('error', () => {});
    const outcomes: Array<'ok' | Error> = [];
    let running = true;
    const traffic = (async () => {
      for (let n = 0; running; n += 1) {
        const outcome = await web.request('square', n, { timeout: 2_000 }).then(
          (reply) => (reply.payload === n ** 2 ? ('ok' as const) : new Error(`wrong answer for ${n}`)),
          (error: Error) => error,
        );
        outcomes.push(outcome);
        // While the worker is not back, requests fail at once: do not spin.
        if (outcome !== 'ok') await delay(5);
      }
    })();
    await expect.poll(() => outcomes.length).toBeGreaterThanOrEqual(20);
    const bothOnline = Promise.all([onlineAgain(worker), onlineAgain(web)]);
    await server.restart();
    await bothOnline;
    const afterRestart = outcomes.length;
    await expect
      .poll(() => outcomes.slice(afterRestart).filter((outcome) => outcome === 'ok').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(20);
    running = false;
    await traffic;
    // What was in flight when the server went away fails with a reason, never silently.
    for (const outcome of outcomes) {
      if (outcome === 'ok') continue;
      expect([NatsDisconnectedError, NoRespondersError, TimeoutError].some((type) => outcome instanceof type)).toBe(
        true,
      );
    }
    expect(web.stats.pendingReplyStreams).toBe(0);
    // The worker reports the lost connection, and a reply it could not send then, never silently.
    for (const error of workerErrors) {
      expect(['EXORELAY_NATS_DISCONNECTED', 'EXORELAY_HANDLER_FAILED']).toContain((error as { code?: string }).code);
    }
  });
});
