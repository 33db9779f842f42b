import { MalformedMessageError, OUTCOME_FIELD } from '@exorelay/nats';
import { connect } from 'nats';
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

  it('drops a reply without its outcome', async () => {
    await using server = await startNatsServer();
    await using relay = await startNatsRelay(server.url, 'relay', {
      setup: (relay) => relay.registerHandler('ask', () => {}),
    });
    const stranger = await connect({ servers: server.url });
    // Answer the relay's request the plain NATS way, without the outcome field ExoRelay needs.
    stranger.subscribe('exorelay.ask', {
      callback: (_error, msg) => {
        msg.respond(
          new TextEncoder().encode(JSON.stringify({ requestId: 'r1', responseTo: 'x', [`not-${OUTCOME_FIELD}`]: 'x' })),
        );
      },
    });
    await stranger.flush();
    const reported = pEvent<'error', Error>(relay, 'error');
    // A stream that is read: only those carry a reply subject.
    relay.send('ask', undefined, { keepReplies: true });
    expect(await reported).toMatchObject({
      code: 'EXORELAY_NATS_MALFORMED_MESSAGE',
      message: expect.stringContaining(`a reply without an outcome`),
    });
    await stranger.close();
  });

  it('takes a reply from a plain NATS client that names its outcome in the envelope', async () => {
    await using server = await startNatsServer();
    await using relay = await startNatsRelay(server.url, 'relay');
    const stranger = await connect({ servers: server.url });
    stranger.subscribe('exorelay.ask', {
      callback: (_error, msg) => {
        const { requestId } = JSON.parse(new TextDecoder().decode(msg.data)) as { requestId: string };
        const reply = {
          [OUTCOME_FIELD]: 'answered',
          sender: 'stranger',
          requestId: 'r2',
          responseTo: requestId,
          payload: 42,
        };
        msg.respond(new TextEncoder().encode(JSON.stringify(reply)));
      },
    });
    await stranger.flush();
    expect(await relay.request('ask')).toMatchObject({ outcome: 'answered', payload: 42, sender: 'stranger' });
    await stranger.close();
  });
});
