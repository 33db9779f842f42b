import { collect } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { startRecordingBus } from './support/recording-bus.js';
import { listeningRelay, postRun } from './support/relay-fixture.js';

/** Sends `file.read` from a relay whose bus delivers nothing, so the test posts the replies itself. */
async function pendingRead(maxBufferedReplies?: number) {
  const bus = await startRecordingBus();
  const relay = await listeningRelay(bus.port, { http: { register: false }, maxBufferedReplies });
  const stream = relay.send('file.read', { path: '/x' });
  const replies = collect(stream);
  // Tests that expect a failure await it later; keep it from counting as unhandled meanwhile.
  replies.catch(() => {});
  const { envelope } = await bus.nextSend('file.read');
  const reply = (outcome: string, fields: Record<string, unknown>) =>
    postRun(relay.port!, outcome, {
      requestId: `r-${JSON.stringify(fields)}`,
      responseTo: envelope.requestId,
      ...fields,
    });
  return {
    relay,
    replies,
    reply,
    async [Symbol.asyncDispose]() {
      await relay.close();
      await bus[Symbol.asyncDispose]();
    },
  };
}

describe('reply order', () => {
  it('yields replies posted out of order (seq 2 before 0 and 1) in the order they were sent', async () => {
    await using read = await pendingRead();
    await read.reply('file.read-chunk', { seq: 2, more: true, payload: 'c' });
    await read.reply('file.read-chunk', { seq: 0, more: true, payload: 'a' });
    await read.reply('file.read-chunk', { seq: 1, more: true, payload: 'b' });
    await read.reply('file.read-done', { seq: 3 });
    expect((await read.replies).map((reply) => reply.payload ?? reply.outcome)).toEqual([
      'a',
      'b',
      'c',
      'file.read-done',
    ]);
  });

  it('does not end the stream when the final reply overtakes earlier chunks', async () => {
    await using read = await pendingRead();
    await read.reply('file.read-done', { seq: 2 });
    await read.reply('file.read-chunk', { seq: 1, more: true, payload: 'b' });
    expect(read.relay.stats.pendingReplyStreams).toBe(1);
    await read.reply('file.read-chunk', { seq: 0, more: true, payload: 'a' });
    expect((await read.replies).map((reply) => reply.payload ?? reply.outcome)).toEqual(['a', 'b', 'file.read-done']);
    expect(read.relay.stats.pendingReplyStreams).toBe(0);
  });

  it('yields replies without seq (an older peer) as they arrive', async () => {
    await using read = await pendingRead();
    await read.reply('file.read-chunk', { more: true, payload: 'second-sent' });
    await read.reply('file.read-chunk', { more: true, payload: 'first-sent' });
    await read.reply('file.read-done', {});
    expect((await read.replies).map((reply) => reply.payload ?? reply.outcome)).toEqual([
      'second-sent',
      'first-sent',
      'file.read-done',
    ]);
  });

  it('drops a duplicated seq', async () => {
    await using read = await pendingRead();
    await read.reply('file.read-chunk', { seq: 0, more: true, payload: 'a' });
    await read.reply('file.read-chunk', { seq: 0, more: true, payload: 'a-again' });
    await read.reply('file.read-done', { seq: 1 });
    expect((await read.replies).map((reply) => reply.payload ?? reply.outcome)).toEqual(['a', 'file.read-done']);
  });

  it('orders the replies of each replying service on its own', async () => {
    await using read = await pendingRead();
    await read.reply('file.read-chunk', { sender: 'mirror', seq: 0, more: true, payload: 'mirror-a' });
    await read.reply('file.read-chunk', { sender: 'primary', seq: 1, more: true, payload: 'primary-b' });
    await read.reply('file.read-chunk', { sender: 'primary', seq: 0, more: true, payload: 'primary-a' });
    await read.reply('file.read-done', { sender: 'primary', seq: 2 });
    expect((await read.replies).map((reply) => reply.payload ?? reply.outcome)).toEqual([
      'mirror-a',
      'primary-a',
      'primary-b',
      'file.read-done',
    ]);
  });

  it('fails the stream with a BufferOverflowError past maxBufferedReplies held replies', async () => {
    await using read = await pendingRead(3);
    for (const seq of [1, 2, 3, 4]) await read.reply('file.read-chunk', { seq, more: true, payload: seq });
    await expect(read.replies).rejects.toMatchObject({ code: 'EXORELAY_BUFFER_OVERFLOW', limit: 3 });
    expect(read.relay.stats.pendingReplyStreams).toBe(0);
  });

  it('answers 200 to a reply nobody waits for any more', async () => {
    await using read = await pendingRead();
    await read.reply('file.read-done', { seq: 0 });
    await read.replies;
    const late = await read.reply('file.read-chunk', { seq: 1, more: true });
    expect(late.status).toBe(200);
  });
});
