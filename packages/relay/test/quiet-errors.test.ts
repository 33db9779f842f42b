import { rejectionOf } from '@exorelay/conformance';
import type { RelayContracts } from 'exorelay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingBus } from './support/recording-bus.js';
import { listeningRelay } from './support/relay-fixture.js';

/** A contract that accepts no payload for 'users.create': what a schema library would say. */
const strictContracts: RelayContracts = {
  validatePayload: (name, payload) =>
    name === 'users.create' && payload !== undefined ? { ok: false, issues: ['payload: not allowed'] } : undefined,
  validateReply: () => undefined,
  isFinal: () => undefined,
};

describe('failures the caller already received are not reported again', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('aborting one’s own request rejects it and prints nothing', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    const emitted: Error[] = [];
    relay.on('error', (error) => emitted.push(error));
    const abort = new AbortController();
    const request = relay.request('users.create', {}, { signal: abort.signal });
    abort.abort();
    expect(await rejectionOf(request)).toMatchObject({ code: 'EXORELAY_ABORTED' });
    await relay.close();
    expect(emitted).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('a contract violation caught by the caller is not emitted', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false }, contracts: strictContracts });
    const emitted: Error[] = [];
    relay.on('error', (error) => emitted.push(error));
    await expect(relay.request('users.create', { name: 'x' })).rejects.toMatchObject({
      code: 'EXORELAY_CONTRACT_VIOLATION',
    });
    await expect(relay.send('users.create', { name: 'x' }).sent).rejects.toMatchObject({
      code: 'EXORELAY_CONTRACT_VIOLATION',
    });
    await relay.close();
    expect(emitted).toEqual([]);
  });

  it('a fire-and-forget send that breaks its contract, which nobody reads, is emitted once', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false }, contracts: strictContracts });
    const emitted: Error[] = [];
    relay.on('error', (error) => emitted.push(error));
    relay.send('users.create', { name: 'x' });
    await relay.close();
    expect(emitted.map((error) => (error as { code?: string }).code)).toEqual(['EXORELAY_CONTRACT_VIOLATION']);
  });
});

describe('payloads that cannot be serialised', () => {
  it('a payload too deeply nested for JSON fails with an InvalidArgumentError, not a RangeError', async () => {
    await using bus = await startRecordingBus();
    await using relay = await listeningRelay(bus.port, { http: { register: false } });
    let deep: unknown = {};
    for (let depth = 0; depth < 100_000; depth += 1) deep = { deep };
    const error = await rejectionOf(relay.request('users.create', deep));
    expect(error).toMatchObject({ code: 'EXORELAY_INVALID_ARGUMENT', name: 'InvalidArgumentError' });
    expect(error.message).toBe("cannot send 'users.create': its payload is too deeply nested to serialise as JSON");
  });
});
