import { rejectionOf } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { startRecordingBus } from './support/recording-bus.js';
import { listeningRelay } from './support/relay-fixture.js';

describe('request timeouts', () => {
  it('takes timeout: undefined as the default timeout, not as "never"', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false }, defaultTimeout: 50 });
    const error = await rejectionOf(relay.request('users.create', {}, { timeout: undefined }));
    expect(error).toMatchObject({ code: 'EXORELAY_TIMEOUT', timeoutMs: 50 });
  });

  it('waits for ever with timeout: Infinity, until its signal aborts', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false }, defaultTimeout: 50 });
    const abort = new AbortController();
    const endless = rejectionOf(
      relay.request('users.create', {}, { timeout: Number.POSITIVE_INFINITY, signal: abort.signal }),
    );
    // A request with the default timeout, sent after, has timed out: the endless one has not.
    await rejectionOf(relay.request('users.create', {}));
    expect(relay.stats.pendingReplyStreams).toBe(1);
    abort.abort();
    expect(await endless).toMatchObject({ code: 'EXORELAY_ABORTED' });
  });
});
