import { setTimeout as delay } from 'node:timers/promises';
import { deferred } from '@exorelay/conformance';
import { UnroutableReplyError } from '@exorelay/nats';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('reply routes', () => {
  it('a handler silent for longer than replyRouteTtl cannot reply any more, and is told why', async () => {
    await using server = await startNatsServer();
    const replied = deferred<Error | undefined>();
    await using slow = await startNatsRelay(server.url, 'slow', {
      transport: { replyRouteTtl: 20 },
      setup: (relay) => {
        relay.on('error', () => {});
        relay.registerHandler('slow', async (_payload, { reply }) => {
          // Routes live between one and two TTLs after their last use; waiting in steps lets the
          // table's timer run in between, even on a busy machine.
          for (let step = 0; step < 10; step += 1) await delay(30);
          replied.resolve(
            await reply('done').then(
              () => undefined,
              (error: Error) => error,
            ),
          );
        });
      },
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    // Read by nobody, but kept: a one-way message would get no way back at all.
    web.send('slow', undefined, { keepReplies: true });
    const error = await replied.promise;
    expect(error).toBeInstanceOf(UnroutableReplyError);
    expect(error).toMatchObject({ code: 'EXORELAY_NATS_UNROUTABLE_REPLY', outcome: 'done', replyRouteTtl: 20 });
    expect(slow.stats.pendingReplyStreams).toBe(0);
  });

  it('each reply keeps the route alive, so a long stream with regular progress completes', async () => {
    await using server = await startNatsServer();
    await using _ticker = await startNatsRelay(server.url, 'ticker', {
      transport: { replyRouteTtl: 300 },
      setup: (relay) =>
        relay.registerHandler('count', async (_payload, { reply }) => {
          // 25 × 30 ms outlasts two TTLs; each reply renews the route. A TTL ten times the pace
          // leaves room for a busy machine's late timers.
          for (let tick = 0; tick < 25; tick += 1) {
            await delay(30);
            await reply.progress('tick', tick);
          }
          await reply('counted');
        }),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const ticks: unknown[] = [];
    const final = await web.request('count', undefined, { onProgress: (reply) => ticks.push(reply.payload) });
    expect(final.outcome).toBe('counted');
    expect(ticks).toEqual(Array.from({ length: 25 }, (_, tick) => tick));
  });
});
