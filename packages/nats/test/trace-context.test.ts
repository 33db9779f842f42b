import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../src/wire.js';

describe('trace context on the NATS wire', () => {
  it('carries traceparent and tracestate in the body, untouched', () => {
    const envelope = {
      requestId: 'r1',
      payload: 1,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'congo=t61rcWkgMzE',
    };
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual({ ok: true, envelope });
  });
});
