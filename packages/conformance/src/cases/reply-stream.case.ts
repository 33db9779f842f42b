import { ReplyStreamDetachedError } from 'exorelay';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { collect, deferred, rejectionOf } from '../support.js';

export const replyStreamCases: CaseGroup = {
  'yields a reply with a JSON payload and one with a string payload': async (fixture) => {
    await fixture.createRelay('echo', {
      setup: (relay) => {
        relay.registerHandler('echo.json', (payload, { reply }) => reply('echoed', { got: payload }));
        relay.registerHandler('echo.text', (payload, { reply }) => reply('echoed', `got ${String(payload)}`));
      },
    });
    const client = await fixture.createRelay('client');
    const [json] = await collect(client.send('echo.json', [1, 2]));
    const [text] = await collect(client.send('echo.text', 'hi'));
    expect(json).toMatchObject({ outcome: 'echoed', payload: { got: [1, 2] }, final: true, sender: 'echo' });
    expect(text).toMatchObject({ outcome: 'echoed', payload: 'got hi' });
    expect(json?.responseTo).toBeTypeOf('string');
    expect(json?.requestId).not.toBe(json?.responseTo);
  },

  'a message can have several outcomes; the reply names which one happened': async (fixture) => {
    await fixture.createRelay('accounting', {
      setup: (relay) =>
        relay.registerHandler('transfer', (payload, { reply }) => {
          const { amount } = payload as { amount: number };
          if (amount > 1000) return reply('transaction limit exceeded', { limit: 1000 });
          if (amount > 100) return reply('insufficient funds', { balance: 100 });
          return reply('transferred', { amount });
        }),
    });
    const web = await fixture.createRelay('web');
    const outcomes = await Promise.all([5, 500, 5000].map((amount) => web.request('transfer', { amount })));
    expect(outcomes.map((reply) => reply.outcome)).toEqual([
      'transferred',
      'insufficient funds',
      'transaction limit exceeded',
    ]);
    expect(outcomes[1]?.payload).toEqual({ balance: 100 });
  },

  'progress replies come first, in order, and the final reply ends the stream': async (fixture) => {
    await fixture.createRelay('files', {
      setup: (relay) =>
        relay.registerHandler('file.copy', async (_payload, { reply }) => {
          for (const percent of [0, 25, 50, 75]) await reply.progress('file.copying', percent);
          await reply('file.copied', { bytes: 4096 });
        }),
    });
    const web = await fixture.createRelay('web');
    const replies = await collect(web.send('file.copy', { from: 'a', to: 'b' }));
    expect(replies.map((reply) => [reply.outcome, reply.payload, reply.final])).toEqual([
      ['file.copying', 0, false],
      ['file.copying', 25, false],
      ['file.copying', 50, false],
      ['file.copying', 75, false],
      ['file.copied', { bytes: 4096 }, true],
    ]);
    expect(web.stats.pendingReplyStreams).toBe(0);
  },

  'a streamed read of 2 000 chunks arrives complete and in order': async (fixture) => {
    const chunks = 2_000;
    await fixture.createRelay('files', {
      setup: (relay) =>
        relay.registerHandler('file.read', async (_payload, { reply }) => {
          // Sent without waiting for each other: the transport and bus may reorder them.
          const sends: Promise<void>[] = [];
          for (let index = 0; index < chunks; index += 1)
            sends.push(reply.progress('file.read-chunk', `chunk-${index}`));
          sends.push(reply('file.read-done', { chunks }));
          await Promise.all(sends);
        }),
    });
    const web = await fixture.createRelay('web', { relayOptions: { maxBufferedReplies: chunks + 1 } });
    const replies = await collect(web.send('file.read', { path: '/big' }));
    expect(replies).toHaveLength(chunks + 1);
    replies.slice(0, chunks).forEach((reply, index) => {
      if (reply.payload !== `chunk-${index}`) expect(reply.payload).toBe(`chunk-${index}`);
    });
    expect(replies.at(-1)).toMatchObject({ outcome: 'file.read-done', final: true });
  },

  'the callback form is called once per reply, in order': async (fixture) => {
    await fixture.createRelay('files', {
      setup: (relay) =>
        relay.registerHandler('file.copy', async (_payload, { reply }) => {
          await reply.progress('file.copying', 50);
          await reply('file.copied');
        }),
    });
    const web = await fixture.createRelay('web');
    const calls: Array<[unknown, string]> = [];
    const done = deferred<void>();
    web.send('file.copy', {}, (payload, { outcome }) => {
      calls.push([payload, outcome]);
      if (outcome === 'file.copied') done.resolve();
    });
    await done.promise;
    expect(calls).toEqual([
      [50, 'file.copying'],
      [undefined, 'file.copied'],
    ]);
  },

  'replies that arrive before the consumer reads are buffered, not lost': async (fixture) => {
    await fixture.createRelay('counter', {
      setup: (relay) =>
        relay.registerHandler('count', async (_payload, { reply }) => {
          for (let index = 0; index < 20; index += 1) await reply.progress('counted', index);
          await reply('done');
        }),
    });
    const web = await fixture.createRelay('web');
    const stream = web.send('count', undefined, { keepReplies: true });
    await stream.sent;
    // The stream leaves the pending map when its final reply is in: every reply has arrived, unread.
    await expect
      .poll(() => web.stats.pendingReplyStreams, { timeout: 10_000, message: 'all 21 replies arrive before the read' })
      .toBe(0);
    const replies = await collect(stream);
    expect(replies.map((reply) => reply.payload)).toEqual([
      ...Array.from({ length: 20 }, (_, index) => index),
      undefined,
    ]);
  },

  'breaking out of the loop ends the stream and drops its state': async (fixture) => {
    await fixture.createRelay('ticker', {
      setup: (relay) =>
        relay.registerHandler('tick', async (_payload, { reply }) => {
          for (let index = 0; index < 5; index += 1) await reply.progress('ticked', index);
        }),
    });
    const web = await fixture.createRelay('web');
    for await (const reply of web.send('tick')) {
      expect(reply.payload).toBe(0);
      break;
    }
    expect(web.stats.pendingReplyStreams).toBe(0);
  },

  'a stream nobody reads in its tick keeps no state, and reading it later fails clearly': async (fixture) => {
    await fixture.createRelay('echo', {
      setup: (relay) => relay.registerHandler('echo', (payload, { reply }) => reply('echoed', payload)),
    });
    const web = await fixture.createRelay('web');
    const stream = web.send('echo', 1);
    expect(web.stats.pendingReplyStreams).toBe(1);
    await stream.sent;
    expect(web.stats.pendingReplyStreams).toBe(0);
    const error = await rejectionOf(collect(stream));
    expect(error).toBeInstanceOf(ReplyStreamDetachedError);
  },

  'a stream can be iterated only once': async (fixture) => {
    await fixture.createRelay('echo', {
      setup: (relay) => relay.registerHandler('echo', (payload, { reply }) => reply('echoed', payload)),
    });
    const web = await fixture.createRelay('web');
    const stream = web.send('echo', 1);
    const first = collect(stream);
    expect(() => stream[Symbol.asyncIterator]()).toThrow('can be iterated only once');
    expect(await first).toHaveLength(1);
  },

  'an idle timeout ends a stream whose replier went quiet': async (fixture) => {
    await fixture.createRelay('slow', {
      setup: (relay) => relay.registerHandler('slow', (_payload, { reply }) => reply.progress('started')),
    });
    const web = await fixture.createRelay('web');
    const seen: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const reply of web.send('slow', undefined, { idleTimeout: 300 })) seen.push(reply.outcome);
      })(),
    );
    expect(seen).toEqual(['started']);
    expect(error).toMatchObject({ code: 'EXORELAY_TIMEOUT', kind: 'idle', messageName: 'slow' });
    expect(web.stats.pendingReplyStreams).toBe(0);
  },
};
