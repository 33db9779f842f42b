import { type Envelope, type EnvelopeParseResult, parseEnvelopeJson } from '@exorelay/protocol';
import type { Msg } from 'nats';

/**
 * How an envelope rides in a NATS message: the body is the envelope's JSON, byte for byte what
 * HTTP carries in `POST /send/NAME`. A message's name is its subject; a reply travels to the
 * requester's reply subject instead, which cannot name it, so a reply's envelope carries its
 * outcome in this field, first. A field, not a NATS header: nats.js parses every header of every
 * message it receives, which cost a requester a fifth of its allocations.
 */
export const OUTCOME_FIELD = 'outcome';

/** What a reply's body holds: its outcome and its envelope, or why it is not a reply. */
export type ReplyParseResult = { ok: true; outcome: string; envelope: Envelope } | { ok: false; error: string };

const decoder = new TextDecoder();

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  // A Buffer is a Uint8Array, and Buffer.from encodes short strings faster than TextEncoder.
  return Buffer.from(JSON.stringify(envelope));
}

export function decodeEnvelope(data: Uint8Array): EnvelopeParseResult {
  return parseEnvelopeJson(decoder.decode(data));
}

const COMMA = 0x2c;

/** A reply's body: its envelope's JSON with the outcome as its first field. */
export function encodeReply(outcome: string, envelope: Envelope): Uint8Array {
  const head = `{"${OUTCOME_FIELD}":${JSON.stringify(outcome)}`;
  const body = JSON.stringify(envelope);
  // Both written into one buffer, the envelope's opening brace overwritten with a comma: no
  // copy of the envelope, and no joined string to flatten before encoding.
  const headBytes = Buffer.byteLength(head);
  const data = Buffer.allocUnsafe(headBytes + Buffer.byteLength(body));
  data.write(head, 0);
  data.write(body, headBytes);
  data[headBytes] = COMMA;
  return data;
}

export function decodeReply(data: Uint8Array): ReplyParseResult {
  const parsed = decodeEnvelope(data);
  if (!parsed.ok) return parsed;
  const outcome = parsed.envelope[OUTCOME_FIELD];
  if (typeof outcome !== 'string' || outcome === '') {
    return { ok: false, error: `a reply without an outcome (its envelope's '${OUTCOME_FIELD}' field)` };
  }
  return { ok: true, outcome, envelope: parsed.envelope };
}

/** The server's answer to a publish with a reply subject that no subscription matched. */
export function isNoRespondersStatus(msg: Msg): boolean {
  return msg.data.length === 0 && msg.headers?.code === 503;
}
