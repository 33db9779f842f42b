import {
  type BusUnreachableError,
  type ErrorCode,
  type ExoComUnreachableError,
  type ExoRelayError,
  isExoRelayError,
  type RemoteError,
  type RepliesLostError,
  type TimeoutError,
} from 'exorelay';
import { describe, expectTypeOf, it } from 'vitest';

describe('error types', () => {
  it('gives each class its code as a literal type', () => {
    expectTypeOf<TimeoutError['code']>().toEqualTypeOf<'EXORELAY_TIMEOUT'>();
    expectTypeOf<RemoteError['code']>().toEqualTypeOf<'EXORELAY_REMOTE'>();
    expectTypeOf<RepliesLostError['code']>().toEqualTypeOf<'EXORELAY_REPLIES_LOST'>();
    expectTypeOf<ExoRelayError['code']>().toEqualTypeOf<ErrorCode>();
  });

  it('narrows a union of errors on code', () => {
    const error = {} as TimeoutError | RemoteError;
    if (error.code === 'EXORELAY_TIMEOUT') {
      expectTypeOf(error).toEqualTypeOf<TimeoutError>();
      expectTypeOf(error.timeoutMs).toBeNumber();
    } else {
      expectTypeOf(error).toEqualTypeOf<RemoteError>();
      expectTypeOf(error.remoteCode).toBeString();
    }
  });

  it('makes every class an ExoRelayError, and ExoComUnreachableError a BusUnreachableError', () => {
    expectTypeOf<TimeoutError>().toExtend<ExoRelayError>();
    expectTypeOf<ExoComUnreachableError>().toExtend<ExoRelayError>();
    expectTypeOf<ExoComUnreachableError>().toExtend<BusUnreachableError>();
  });

  it('narrows to an error with a code, of any package, with isExoRelayError', () => {
    const value: unknown = undefined;
    if (isExoRelayError(value)) {
      expectTypeOf(value).toExtend<Error>();
      expectTypeOf(value.code).toBeString();
    }
  });
});
