import { rejectionOf } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { startRecordingBus } from './support/recording-bus.js';
import { listeningRelay, postRun } from './support/relay-fixture.js';

describe('request() and its progress replies', () => {
  it('calls onProgress with each progress reply in seq order, then resolves with the final reply', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    const progress: unknown[] = [];
    const answer = relay.request('file.copy', {}, { onProgress: (reply) => progress.push(reply.payload) });
    const { envelope } = await bus.nextSend('file.copy');
    const reply = (seq: number, more: boolean) => ({
      sender: 'files',
      requestId: `r${seq}`,
      responseTo: envelope.requestId,
      payload: seq,
      seq,
      ...(more ? { more } : {}),
    });
    // Out of order: the relay holds 1 and 2 back until 0 arrives.
    await postRun(relay.port ?? 0, 'file.copying', reply(1, true));
    await postRun(relay.port ?? 0, 'file.copied', reply(2, false));
    expect(progress).toEqual([]);
    await postRun(relay.port ?? 0, 'file.copying', reply(0, true));
    expect(await answer).toMatchObject({ outcome: 'file.copied', payload: 2, final: true });
    expect(progress).toEqual([0, 1]);
    expect(relay.stats.pendingReplyStreams).toBe(0);
  });

  it('rejects with what onProgress threw, and keeps no state for the request', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    const broken = new Error('the progress bar broke');
    const answer = rejectionOf(
      relay.request(
        'file.copy',
        {},
        {
          onProgress: () => {
            throw broken;
          },
        },
      ),
    );
    const { envelope } = await bus.nextSend('file.copy');
    const progress = {
      sender: 'files',
      requestId: 'p',
      responseTo: envelope.requestId,
      payload: 1,
      seq: 0,
      more: true,
    };
    await postRun(relay.port ?? 0, 'file.copying', progress);
    expect(await answer).toBe(broken);
    expect(relay.stats.pendingReplyStreams).toBe(0);
  });

  it('rejects, rather than throws, when its options are not an object', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    const options = null as unknown as Record<string, never>;
    expect(await rejectionOf(relay.request('file.copy', {}, options))).toBeInstanceOf(TypeError);
  });
});
