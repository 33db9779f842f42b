import { describe, expect, it } from 'vitest';
import {
  AuthorizeFailedError,
  BridgeRequestError,
  isSSEError,
  SSEConfigError,
  SSEError,
  SSEErrorCode,
} from '../src/index.js';

const cause = new Error('boom');
const scenarios = [
  { error: new SSEConfigError('bad option'), name: 'SSEConfigError', code: SSEErrorCode.Config, message: 'bad option' },
  {
    error: new AuthorizeFailedError('/bridge/events', { cause }),
    name: 'AuthorizeFailedError',
    code: 'EXORELAY_SSE_AUTHORIZE_FAILED',
    message: 'authorize() failed for /bridge/events: boom',
  },
  {
    error: new BridgeRequestError('users.create', 502, { cause }),
    name: 'BridgeRequestError',
    code: 'EXORELAY_SSE_REQUEST_FAILED',
    message: "the bridge answered 'users.create' with 502: boom",
  },
] as const;

describe('errors', () => {
  it.each(scenarios)('$name has code $code, its message, and the SSEError brand', ({ error, name, code, message }) => {
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error).toBeInstanceOf(SSEError);
    expect(error).toBeInstanceOf(Error);
    expect(isSSEError(error)).toBe(true);
  });

  it('keeps the cause', () => {
    expect(new BridgeRequestError('x', 503, { cause }).cause).toBe(cause);
  });

  it('recognises errors of another installed copy by their Symbol.for brand', () => {
    const foreign = Object.defineProperties(new Error('from another copy'), {
      [Symbol.for('exorelay.sse.error')]: { value: true },
      [Symbol.for('exorelay.sse.error.EXORELAY_SSE_CONFIG')]: { value: true },
    });

    expect(foreign).toBeInstanceOf(SSEError);
    expect(foreign).toBeInstanceOf(SSEConfigError);
    expect(foreign).not.toBeInstanceOf(AuthorizeFailedError);
    expect(new Error('plain')).not.toBeInstanceOf(SSEError);
  });
});
