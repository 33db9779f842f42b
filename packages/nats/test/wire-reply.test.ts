import { describe, expect, it } from 'vitest';
import { decodeReply, encodeReply } from '../src/wire.js';

describe("a reply's body on NATS", () => {
  it('is the envelope with the outcome as its first field, whatever characters either holds', () => {
    const envelope = {
      sender: 'échos',
      requestId: 'r-1',
      responseTo: 'q-1',
      payload: { text: 'ü € 𝄞 "quoted" \\ \n', lone: '\ud800', list: [1, 2] },
      seq: 3,
      more: true as const,
    };
    const body = encodeReply('café.servi', envelope);
    const text = Buffer.from(body).toString('utf8');
    expect(text.startsWith('{"outcome":"café.servi","sender":')).toBe(true);
    expect(JSON.parse(text)).toEqual({ outcome: 'café.servi', ...envelope });
    expect(decodeReply(body)).toEqual({
      ok: true,
      outcome: 'café.servi',
      envelope: { outcome: 'café.servi', ...envelope },
    });
  });
});
