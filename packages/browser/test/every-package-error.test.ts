import { ContractDefinitionError } from '@exorelay/contracts';
import { NatsDisconnectedError, NatsUnreachableError } from '@exorelay/nats';
import { isExoRelayError as isExoRelayErrorOfProtocol } from '@exorelay/protocol';
import { SSEConfigError } from '@exorelay/sse';
import { MockTimeoutError } from '@exorelay/testing';
import { PortInUseError } from 'exocom';
import { ExoComUnreachableError, isExoRelayError, TimeoutError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { BridgeConnectionError } from '../src/index.js';

// Lives here because the browser package may import every other one without a dependency cycle.
const errorOfEachPackage = [
  ['exorelay', new TimeoutError('users.create', 'r1', 100)],
  ['exorelay', new ExoComUnreachableError('localhost', 3100, 'users.create')],
  ['@exorelay/contracts', new ContractDefinitionError('users.create', 'durable must be true or false')],
  ['exocom', new PortInUseError(3100)],
  ['@exorelay/nats', new NatsUnreachableError(['nats://localhost:4222'])],
  ['@exorelay/nats', new NatsDisconnectedError('users.create')],
  ['@exorelay/sse', new SSEConfigError('bad option')],
  ['@exorelay/browser', new BridgeConnectionError('http://localhost/bridge/events')],
  ['@exorelay/testing', new MockTimeoutError("message 'users.created'", 50)],
] as const;

describe('isExoRelayError', () => {
  it.each(errorOfEachPackage)('recognises an error of %s (%o)', (_, error) => {
    expect(isExoRelayError(error)).toBe(true);
    expect(isExoRelayErrorOfProtocol(error)).toBe(true);
  });

  it('recognises nothing else', () => {
    expect(isExoRelayError(new Error('plain'))).toBe(false);
    expect(isExoRelayError({ code: 'EXORELAY_TIMEOUT', message: 'look-alike' })).toBe(false);
    expect(isExoRelayError(undefined)).toBe(false);
  });
});
