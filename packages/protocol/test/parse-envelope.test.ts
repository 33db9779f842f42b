import { describe, expect, it } from 'vitest';
import { parseEnvelope, parseEnvelopeJson } from '../src/index.js';

describe('parseEnvelope', () => {
  it('keeps every field, unknown ones included, of a well-formed envelope', () => {
    const body = { sender: 'web', requestId: 'r1', payload: { id: 1 }, more: true, seq: 0, addedLater: 'x' };
    expect(parseEnvelope(body)).toEqual({ ok: true, envelope: body });
  });

  it('drops `more: false` and `oneWay: false`, so that absent is the one spelling of final and of expecting replies', () => {
    const parsed = parseEnvelope({ requestId: 'r1', responseTo: 'q1', more: false, oneWay: false, seq: 1 });
    expect(parsed).toEqual({ ok: true, envelope: { requestId: 'r1', responseTo: 'q1', seq: 1 } });
  });

  it('keeps `more: true` when only `oneWay: false` is dropped, and the other way round', () => {
    expect(parseEnvelope({ requestId: 'r1', more: true, oneWay: false })).toEqual({
      ok: true,
      envelope: { requestId: 'r1', more: true },
    });
    expect(parseEnvelope({ requestId: 'r1', more: false, oneWay: true })).toEqual({
      ok: true,
      envelope: { requestId: 'r1', oneWay: true },
    });
  });

  it('normalises a copy: the body it was given stays as it came', () => {
    const body = { requestId: 'r1', more: false };
    parseEnvelope(body);
    expect(body).toEqual({ requestId: 'r1', more: false });
  });

  it('refuses what is not an envelope, in the words relays answer with 400', () => {
    expect(parseEnvelope([])).toEqual({ ok: false, error: 'message body must be a JSON object, got an array' });
    expect(parseEnvelope({ sender: 'web' })).toEqual({ ok: false, error: 'missing request id' });
    expect(parseEnvelope({ requestId: 'r1', seq: -1 })).toEqual({
      ok: false,
      error: 'seq must be a non-negative integer',
    });
    expect(parseEnvelopeJson('{').ok).toBe(false);
  });
});
