import { deferred, rejectionOf } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { createBrowserRelay, InvalidArgumentError, StreamDetachedError } from '../src/index.js';
import { eventually, startBridgeLandscape } from './support/bridge-landscape.js';

describe('BrowserRelay#send', () => {
  it('streams every reply through the bridge, in order, ending after the final one', async () => {
    await using landscape = await startBridgeLandscape({
      handlers: {
        'file.copy': async (payload, { reply }) => {
          for (let percent = 25; percent < 100; percent += 25) await reply.progress('file.copying', { percent });
          await reply('file.copied', payload);
        },
      },
    });
    const client = createBrowserRelay({ url: landscape.url });

    const replies = [];
    for await (const reply of client.send('file.copy', { from: 'a.txt', to: 'b.txt' })) replies.push(reply);

    expect(replies.map((reply) => [reply.outcome, reply.final])).toEqual([
      ['file.copying', false],
      ['file.copying', false],
      ['file.copying', false],
      ['file.copied', true],
    ]);
    expect(replies[3]).toMatchObject({ payload: { from: 'a.txt', to: 'b.txt' }, sender: 'backend' });
    expect(landscape.web.stats.pendingReplyStreams).toBe(0);
  });

  it('hangs up when the loop breaks, and the bridge drops the stream', async () => {
    const release = deferred<void>();
    await using landscape = await startBridgeLandscape({
      handlers: {
        watch: async (_payload, { reply }) => {
          await reply.progress('tick', 1);
          await release.promise;
          await reply('done');
        },
      },
    });
    const client = createBrowserRelay({ url: landscape.url });

    for await (const reply of client.send('watch')) {
      expect(reply.outcome).toBe('tick');
      break;
    }

    await eventually(() => landscape.web.stats.pendingReplyStreams === 0);
    release.resolve();
  });

  it('sends a stream nobody reads as fire-and-forget: delivered, then the connection is released', async () => {
    const delivered = deferred<unknown>();
    const release = deferred<void>();
    await using landscape = await startBridgeLandscape({
      handlers: {
        'audit.log': async (payload, { reply }) => {
          delivered.resolve(payload);
          await release.promise;
          await reply('logged');
        },
      },
    });
    const client = createBrowserRelay({ url: landscape.url });

    const stream = client.send('audit.log', { action: 'login' });
    await stream.sent;

    expect(await delivered.promise).toEqual({ action: 'login' });
    await eventually(() => landscape.web.stats.pendingReplyStreams === 0);
    const late = await rejectionOf((async () => stream[Symbol.asyncIterator]().next())());
    expect(late).toBeInstanceOf(StreamDetachedError);
    release.resolve();
  });

  it('refuses what cannot be sent, before anything goes out', async () => {
    await using landscape = await startBridgeLandscape({ bridge: { allow: { send: ['ping'] } } });
    const client = createBrowserRelay({ url: landscape.url });
    const circular: Record<string, unknown> = {};
    circular.self = circular;

    const reserved = await rejectionOf(client.send('exo.error').sent);
    const notJson = await rejectionOf(client.send('ping', circular).sent);

    expect(reserved).toBeInstanceOf(InvalidArgumentError);
    expect(reserved.message).toBe("cannot send 'exo.error': names starting with 'exo.' are reserved for the protocol");
    expect(notJson).toMatchObject({
      code: 'EXORELAY_INVALID_ARGUMENT',
      message: "the payload of 'ping' cannot be sent as JSON",
    });
    expect(landscape.bus.counters.received).toBe(0);
  });

  it('needs a URL it can resolve: outside a page, an absolute one', () => {
    expect(() => createBrowserRelay({ url: '/bridge' })).toThrow(
      "cannot resolve the bridge url '/bridge': outside a web page, give an absolute URL",
    );
    expect(() => createBrowserRelay({ url: '' })).toThrow(InvalidArgumentError);
  });
});
