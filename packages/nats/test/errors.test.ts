import {
  isNatsTransportError,
  MalformedMessageError,
  NatsConnectionLostError,
  NatsDisconnectedError,
  NatsErrorCode,
  NatsServerError,
  NatsTransportError,
  NatsUnreachableError,
  UnroutableReplyError,
} from '@exorelay/nats';
import { BusUnreachableError, ExoRelayError, isExoRelayError } from 'exorelay';
import { describe, expect, it } from 'vitest';

const scenarios = [
  [new NatsUnreachableError(['nats://a:4222'], { cause: new Error('refused') }), 'NatsUnreachableError', 'UNREACHABLE'],
  [new NatsDisconnectedError('users.create'), 'NatsDisconnectedError', 'DISCONNECTED'],
  [new UnroutableReplyError('users.created', 'r1', 1000), 'UnroutableReplyError', 'UNROUTABLE_REPLY'],
  [new MalformedMessageError('exorelay.x', 'not json'), 'MalformedMessageError', 'MALFORMED_MESSAGE'],
  [new NatsServerError("Permissions Violation for Publish to 'x'"), 'NatsServerError', 'SERVER_ERROR'],
  [new NatsConnectionLostError(['nats://a:4222'], 10_000), 'NatsConnectionLostError', 'CONNECTION_LOST'],
] as const;

describe('errors', () => {
  it.each(scenarios)('%s has its name, a stable code and the base class', (error, name, code) => {
    expect(error.name).toBe(name);
    expect(error.code).toBe(`EXORELAY_NATS_${code}`);
    expect(Object.values(NatsErrorCode)).toContain(error.code);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(NatsTransportError);
    expect(isNatsTransportError(error)).toBe(true);
  });

  it('instanceof holds for a look-alike from another installed copy, through the Symbol.for brand', () => {
    const foreign = Object.create(Error.prototype) as Record<symbol, boolean>;
    foreign[Symbol.for('exorelay.nats.error')] = true;
    foreign[Symbol.for('exorelay.nats.error.EXORELAY_NATS_DISCONNECTED')] = true;
    expect(foreign).toBeInstanceOf(NatsTransportError);
    expect(foreign).toBeInstanceOf(NatsDisconnectedError);
    expect(foreign).not.toBeInstanceOf(NatsUnreachableError);
    expect(new Error('plain')).not.toBeInstanceOf(NatsTransportError);
  });

  it('unreachable and disconnected are BusUnreachableErrors, like ExoCom being unreachable', () => {
    const busUnreachable = scenarios.filter(([error]) => error instanceof BusUnreachableError).map(([, name]) => name);

    expect(busUnreachable).toEqual(['NatsUnreachableError', 'NatsDisconnectedError']);
    expect(BusUnreachableError.is(new NatsDisconnectedError('users.create'))).toBe(true);
  });

  it('are ExoRelay errors for isExoRelayError, but not of the relay family', () => {
    for (const [error] of scenarios) {
      expect(isExoRelayError(error)).toBe(true);
      expect(error).not.toBeInstanceOf(ExoRelayError);
    }
  });

  it('messages say what happened and what to do', () => {
    expect(new NatsUnreachableError(['nats://a:4222'], { cause: new Error('refused') }).message).toBe(
      'cannot connect to NATS at nats://a:4222: refused; is nats-server running there?',
    );
    expect(new UnroutableReplyError('done', 'r1', 500).message).toContain('raise replyRouteTtl');
  });
});
