import { collect } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { startRecordingBus } from './support/recording-bus.js';
import { listeningRelay } from './support/relay-fixture.js';

describe('send options', () => {
  it('a total timeout ends a stream that never got its final reply', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    await expect(collect(relay.send('slow', 1, { timeout: 100 }))).rejects.toMatchObject({
      code: 'EXORELAY_TIMEOUT',
      kind: 'total',
      timeoutMs: 100,
    });
    expect(relay.stats.pendingReplyStreams).toBe(0);
  });

  it('a signal ends an iterated stream with an AbortedError', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    const controller = new AbortController();
    const replies = collect(relay.send('slow', 1, { signal: controller.signal }));
    controller.abort();
    await expect(replies).rejects.toMatchObject({ code: 'EXORELAY_ABORTED', messageName: 'slow' });
    expect(relay.stats.pendingReplyStreams).toBe(0);
  });

  it('refuses a timeout that is not a positive number', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    relay.on('error', () => {});
    await expect(relay.send('x', 1, { timeout: -5 }).sent).rejects.toThrow(
      'ExoRelay#send option timeout must be a positive number of ms (or Infinity), got -5',
    );
    expect(bus.requests).toEqual([]);
  });

  it('an error nobody listens to becomes a process warning instead of a crash', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      relay.send('');
      await expect
        .poll(() => warnings.map((warning) => warning.message))
        .toContain('ExoRelay#send cannot send empty messages');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
