import * as exorelay from 'exorelay';
import { describe, expect, expectTypeOf, it } from 'vitest';

const {
  AbortedError,
  BufferOverflowError,
  BusUnreachableError,
  ConfigError,
  ContractViolationError,
  ErrorCode,
  ExoComUnreachableError,
  ExoRelayError,
  HandlerError,
  InvalidArgumentError,
  MessageRejectedError,
  NoRespondersError,
  PortInUseError,
  RelayClosedError,
  RemoteError,
  RepliesLostError,
  ReplyStreamDetachedError,
  TimeoutError,
  isExoRelayError,
} = exorelay;

const scenarios: Array<[string, exorelay.ExoRelayError, string]> = [
  ['ConfigError', new ConfigError('exocomPort not provided'), 'EXORELAY_CONFIG'],
  ['InvalidArgumentError', new InvalidArgumentError('bad'), 'EXORELAY_INVALID_ARGUMENT'],
  ['PortInUseError', new PortInUseError(4000), 'EXORELAY_PORT_IN_USE'],
  ['TimeoutError', new TimeoutError('users.create', 'r1', 100), 'EXORELAY_TIMEOUT'],
  ['AbortedError', new AbortedError('users.create', 'r1'), 'EXORELAY_ABORTED'],
  ['RemoteError', new RemoteError('HANDLER_FAILED', 'boom', 'users.create', 'r1'), 'EXORELAY_REMOTE'],
  ['NoRespondersError', new NoRespondersError('users.create', 'r1'), 'EXORELAY_NO_RESPONDERS'],
  ['ExoComUnreachableError', new ExoComUnreachableError('localhost', 3100, 'x'), 'EXORELAY_EXOCOM_UNREACHABLE'],
  ['MessageRejectedError', new MessageRejectedError('x', 400, 'no'), 'EXORELAY_MESSAGE_REJECTED'],
  ['RelayClosedError', new RelayClosedError(), 'EXORELAY_CLOSED'],
  ['HandlerError', new HandlerError('x', 'r1', { cause: new Error('inner') }), 'EXORELAY_HANDLER_FAILED'],
  [
    'ContractViolationError',
    new ContractViolationError('x', 'outgoing', ['name: required']),
    'EXORELAY_CONTRACT_VIOLATION',
  ],
  ['BufferOverflowError', new BufferOverflowError('x', 'r1', 10), 'EXORELAY_BUFFER_OVERFLOW'],
  ['ReplyStreamDetachedError', new ReplyStreamDetachedError('x', 'r1'), 'EXORELAY_STREAM_DETACHED'],
  ['RepliesLostError', new RepliesLostError('localhost:3100', 'restarted'), 'EXORELAY_REPLIES_LOST'],
];

describe('errors', () => {
  for (const [name, error, code] of scenarios) {
    it(`${name} has name, code and both instanceof checks`, () => {
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ExoRelayError);
      expect(isExoRelayError(error)).toBe(true);
      expect(error.message.length).toBeGreaterThan(0);
    });
  }

  it('every code is listed in ErrorCode and used by exactly one class', () => {
    expect(new Set(scenarios.map(([, , code]) => code))).toEqual(new Set(Object.values(ErrorCode)));
  });

  it('instanceof tells the classes apart', () => {
    expect(new TimeoutError('x', 'r', 1)).not.toBeInstanceOf(RemoteError);
    expect(new RemoteError('A', 'b', 'x', 'r')).not.toBeInstanceOf(TimeoutError);
    expect(new Error('plain')).not.toBeInstanceOf(ExoRelayError);
    expect(isExoRelayError('EXORELAY_TIMEOUT')).toBe(false);
  });

  it('instanceof holds for an error made by another installed copy of exorelay', () => {
    // What a second copy's TimeoutError looks like: same Symbol.for brands, other classes.
    const foreign = Object.assign(new Error('timed out'), { code: 'EXORELAY_TIMEOUT' });
    Object.defineProperty(foreign, Symbol.for('exorelay.error'), { value: true });
    Object.defineProperty(foreign, Symbol.for('exorelay.error.EXORELAY_TIMEOUT'), { value: true });
    expect(foreign).toBeInstanceOf(ExoRelayError);
    expect(foreign).toBeInstanceOf(TimeoutError);
    expect(foreign).not.toBeInstanceOf(RemoteError);
  });

  it('ExoComUnreachableError is a BusUnreachableError; no other class is', () => {
    for (const [name, error] of scenarios) {
      expect(error instanceof BusUnreachableError, name).toBe(name === 'ExoComUnreachableError');
    }
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('exorelay.bus-unreachable.error'), {
      value: true,
    });
    expect(foreign).toBeInstanceOf(BusUnreachableError);
    expect(foreign).not.toBeInstanceOf(ExoRelayError);
  });

  it('messages say what happened', () => {
    expect(new TimeoutError('users.create', 'r1', 100).message).toBe(
      "message 'users.create' (r1) timed out: no final reply within 100 ms",
    );
    expect(
      new ContractViolationError('users.create', 'incoming', ['name: required', 'age: too small'], 'x').message,
    ).toBe("incoming reply 'x' to 'users.create' breaks its contract:\n  - name: required\n  - age: too small");
    expect(new HandlerError('users.create', 'r1', { cause: new Error('db down') }).message).toBe(
      "the handler for 'users.create' failed: db down",
    );
  });

  it('pins each code to its literal type', () => {
    expectTypeOf(new TimeoutError('x', 'r', 1).code).toEqualTypeOf<'EXORELAY_TIMEOUT'>();
    expectTypeOf(ErrorCode.Timeout).toEqualTypeOf<'EXORELAY_TIMEOUT'>();
    expectTypeOf(ErrorCode.Remote).toEqualTypeOf<'EXORELAY_REMOTE'>();
  });
});
