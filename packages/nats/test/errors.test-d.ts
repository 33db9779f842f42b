import type { NatsDisconnectedError, NatsErrorCode, NatsTransportError, NatsUnreachableError } from '@exorelay/nats';
import type { BusUnreachableError, ExoComUnreachableError } from 'exorelay';
import { describe, expectTypeOf, it } from 'vitest';

describe('error types', () => {
  it('gives each class its code as a literal type', () => {
    expectTypeOf<NatsUnreachableError['code']>().toEqualTypeOf<'EXORELAY_NATS_UNREACHABLE'>();
    expectTypeOf<NatsDisconnectedError['code']>().toEqualTypeOf<'EXORELAY_NATS_DISCONNECTED'>();
    expectTypeOf<NatsTransportError['code']>().toEqualTypeOf<NatsErrorCode>();
  });

  it('narrows an unreachable bus of either transport on code', () => {
    const error = {} as ExoComUnreachableError | NatsUnreachableError | NatsDisconnectedError;
    expectTypeOf(error).toExtend<BusUnreachableError>();
    if (error.code === 'EXORELAY_EXOCOM_UNREACHABLE') expectTypeOf(error.port).toBeNumber();
    else if (error.code === 'EXORELAY_NATS_UNREACHABLE') expectTypeOf(error.servers).toEqualTypeOf<readonly string[]>();
    else expectTypeOf(error).toEqualTypeOf<NatsDisconnectedError>();
  });
});
