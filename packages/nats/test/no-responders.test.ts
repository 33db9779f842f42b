import { collect } from '@exorelay/conformance';
import { NoRespondersError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('no responders', () => {
  it('fails a stream that is read when nobody subscribes; a one-way send to nobody is fine', async () => {
    await using server = await startNatsServer();
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const errors: Error[] = [];
    web.on('error', (error) => errors.push(error));
    const stream = web.send('not handled', undefined, { keepReplies: true });
    // `sent` means the message went out; the server's no-responders status comes after it.
    expect(await stream.sent).toEqual({});
    await expect(collect(stream)).rejects.toBeInstanceOf(NoRespondersError);
    // Nobody reads a one-way send's replies: it carries no reply subject, and nobody answers.
    expect(await web.send('not handled either').sent).toEqual({});
    expect(errors).toEqual([]);
    expect(web.stats.pendingReplyStreams).toBe(0);
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
      setup: (relay) => relay.registerHandler('even', (n, { reply }) => reply('odd?', n)),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        web.request(n % 2 === 0 ? 'even' : 'odd', n).then(
          (reply) => reply.payload,
          (error: Error) => error,
        ),
      ),
    );
    outcomes.forEach((outcome, n) => {
      if (n % 2 === 0) expect(outcome).toBe(n);
      else expect(outcome).toBeInstanceOf(NoRespondersError);
    });
    expect(web.stats.pendingReplyStreams).toBe(0);
  });
});
