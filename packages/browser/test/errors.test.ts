import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  BridgeConnectionError,
  BrowserErrorCode,
  BrowserRelayError,
  ClientClosedError,
  ContractViolationError,
  InvalidArgumentError,
  isBrowserRelayError,
  NoRespondersError,
  RefusedError,
  RemoteError,
  StreamDetachedError,
  StreamFailedError,
  TimeoutError,
} from '../src/index.js';

const scenarios = [
  [
    new TimeoutError('users.create', 50),
    'TimeoutError',
    'EXORELAY_TIMEOUT',
    "message 'users.create' timed out: no final reply within 50 ms",
  ],
  [new AbortedError('users.create'), 'AbortedError', 'EXORELAY_ABORTED', "message 'users.create' was aborted"],
  [new RemoteError('users.create', 'HANDLER_FAILED', 'it broke'), 'RemoteError', 'EXORELAY_REMOTE', 'it broke'],
  [
    new NoRespondersError('users.create'),
    'NoRespondersError',
    'EXORELAY_NO_RESPONDERS',
    "no service receives message 'users.create'",
  ],
  [
    new ContractViolationError('users.create', ['name: required']),
    'ContractViolationError',
    'EXORELAY_CONTRACT_VIOLATION',
    "payload of 'users.create' breaks its contract:\n  - name: required",
  ],
  [new ClientClosedError(), 'ClientClosedError', 'EXORELAY_CLOSED', 'the browser relay is closed'],
  [
    new RefusedError('users.create', 403, 'not public'),
    'RefusedError',
    'EXORELAY_REFUSED',
    "the bridge refused 'users.create' with status 403: not public",
  ],
  [
    new BridgeConnectionError('http://x/bridge/events'),
    'BridgeConnectionError',
    'EXORELAY_BRIDGE_CONNECTION',
    'the connection to the bridge at http://x/bridge/events failed or broke',
  ],
  [
    new StreamFailedError('a', 'EXORELAY_TIMEOUT', 'too slow'),
    'StreamFailedError',
    'EXORELAY_STREAM_FAILED',
    'too slow',
  ],
  [
    new StreamDetachedError('a'),
    'StreamDetachedError',
    'EXORELAY_STREAM_DETACHED',
    "the reply stream of 'a' was not read in the tick it was sent, so its replies were not kept: start iterating it right away",
  ],
  [
    new InvalidArgumentError('a message needs a name'),
    'InvalidArgumentError',
    'EXORELAY_INVALID_ARGUMENT',
    'a message needs a name',
  ],
] as const;

describe('errors', () => {
  it.each(scenarios)('%o is a %s with code %s', (error, name, code, message) => {
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error).toBeInstanceOf(BrowserRelayError);
    expect(isBrowserRelayError(error)).toBe(true);
  });

  it('has one class per code', () => {
    expect(new Set(scenarios.map(([, , code]) => code))).toEqual(new Set(Object.values(BrowserErrorCode)));
  });

  it('recognises an error of another bundled copy by its Symbol.for brand, but not a relay error', () => {
    const foreign = Object.defineProperties(new Error('another copy'), {
      [Symbol.for('exorelay.browser.error')]: { value: true },
      [Symbol.for('exorelay.browser.error.EXORELAY_TIMEOUT')]: { value: true },
    });
    const relayError = Object.defineProperties(new Error('relay'), {
      [Symbol.for('exorelay.error')]: { value: true },
      [Symbol.for('exorelay.error.EXORELAY_TIMEOUT')]: { value: true },
    });

    expect(foreign).toBeInstanceOf(TimeoutError);
    expect(foreign).not.toBeInstanceOf(AbortedError);
    expect(relayError).not.toBeInstanceOf(TimeoutError);
  });
});
