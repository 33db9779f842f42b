import type { Envelope } from './envelope.js';

/** What `parseEnvelope` makes of a body: the envelope, or why it is not one. */
export type EnvelopeParseResult = { ok: true; envelope: Envelope } | { ok: false; error: string };

/**
 * Checks that a decoded JSON body is a well-formed envelope. The texts are part of the
 * protocol: relays answer them with status 400. The envelope is `body` itself unless it spells
 * `more: false` or `oneWay: false` (then a normalised copy): pass a body nobody else changes.
 */
export function parseEnvelope(body: unknown): EnvelopeParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: `message body must be a JSON object, got ${describeJson(body)}` };
  }
  const fields = body as Record<string, unknown>;
  if (fields.requestId === undefined || fields.requestId === '') return { ok: false, error: 'missing request id' };
  if (typeof fields.requestId !== 'string') return { ok: false, error: 'requestId must be a string' };
  if (fields.sender !== undefined && typeof fields.sender !== 'string') {
    return { ok: false, error: 'sender must be a string' };
  }
  if (fields.responseTo !== undefined && (typeof fields.responseTo !== 'string' || fields.responseTo === '')) {
    return { ok: false, error: 'responseTo must be a non-empty string' };
  }
  if (fields.more !== undefined && typeof fields.more !== 'boolean') {
    return { ok: false, error: 'more must be a boolean' };
  }
  if (fields.oneWay !== undefined && typeof fields.oneWay !== 'boolean') {
    return { ok: false, error: 'oneWay must be a boolean' };
  }
  if (fields.seq !== undefined && !(Number.isSafeInteger(fields.seq) && (fields.seq as number) >= 0)) {
    return { ok: false, error: 'seq must be a non-negative integer' };
  }
  // `more: false` means final, `oneWay: false` expects replies: normalise so that the rest of
  // the code checks one spelling. Only those (rare) bodies are copied: every hop parses one.
  if (fields.more !== false && fields.oneWay !== false) return { ok: true, envelope: fields as Envelope };
  const envelope = { ...fields } as Envelope;
  if (envelope.more !== true) delete envelope.more;
  if (envelope.oneWay !== true) delete envelope.oneWay;
  return { ok: true, envelope };
}

/** `parseEnvelope` of a body's text: a message body that is not JSON gets the protocol's text too. */
export function parseEnvelopeJson(text: string): EnvelopeParseResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `malformed JSON in the message body: ${(error as Error).message}` };
  }
  return parseEnvelope(body);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
