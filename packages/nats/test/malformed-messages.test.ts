import { MalformedMessageError, OUTCOME_HEADER } from '@exorelay/nats';
import { connect, headers } from 'nats';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('malformed messages', () => {
  it('drops what is not an envelope on a message subject, reports it, and keeps serving', async () => {
    await using server = await startNatsServer();
    await using relay = await startNatsRelay(server.url, 'echo', {
      setup: (relay) => relay.registerHandler('echo', (payload, { reply }) => reply('echoed', payload)),
    });
    const reported = pEvent<'error', Error>(relay, 'error');
    const stranger = await connect({ servers: server.url });
    stranger.publish('exorelay.echo', new TextEncoder().encode('not json'));
    await stranger.flush();
    const error = await reported;
    expect(error).toBeInstanceOf(MalformedMessageError);
    expect(error).toMatchObject({ code: 'EXORELAY_NATS_MALFORMED_MESSAGE', subject: 'exorelay.echo' });
    expect(error.message).toContain('malformed JSON');
    stranger.publish('exorelay.echo', new TextEncoder().encode('{"payload":1}'));
    expect((await pEvent<'error', Error>(relay, 'error')).message).toContain('missing request id');
    await stranger.close();
    expect((await relay.request('echo', 'still here')).payload).toBe('still here');
  });

  it('drops a reply without its outcome header', async () => {
    await using server = await startNatsServer();
    await using relay = await startNatsRelay(server.url, 'relay', {
      setup: (relay) => relay.registerHandler('ask', () => {}),
    });
    const stranger = await connect({ servers: server.url });
    // Answer the relay's request the plain NATS way, without the header ExoRelay needs.
    stranger.subscribe('exorelay.ask', {
      callback: (_error, msg) => {
        const carried = headers();
        carried.set(`Not-${OUTCOME_HEADER}`, 'x');
        msg.respond(new TextEncoder().encode(JSON.stringify({ requestId: 'r1', responseTo: 'x' })), {
          headers: carried,
        });
      },
    });
    await stranger.flush();
    const reported = pEvent<'error', Error>(relay, 'error');
    // A stream that is read: only those carry a reply subject.
    relay.send('ask', undefined, { keepReplies: true });
    expect(await reported).toMatchObject({ code: 'EXORELAY_NATS_MALFORMED_MESSAGE' });
    await stranger.close();
  });
});
