import { type Envelope, type EnvelopeParseResult, parseEnvelope } from '@exorelay/protocol';
import { headers, type Msg, type MsgHdrs } from 'nats';

/**
 * How an envelope rides in a NATS message: the body is the envelope's JSON, byte for byte what
 * HTTP carries in `POST /send/NAME`. A message's name is its subject; a reply travels to the
 * requester's reply subject instead, so its outcome goes in this header, percent-encoded
 * because NATS header values cannot hold line breaks and lose surrounding spaces.
 */
export const OUTCOME_HEADER = 'Exo-Outcome';

const decoder = new TextDecoder();

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  // A Buffer is a Uint8Array, and Buffer.from encodes short strings faster than TextEncoder.
  return Buffer.from(JSON.stringify(envelope));
}

export function decodeEnvelope(data: Uint8Array): EnvelopeParseResult {
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { ok: false, error: `malformed JSON in the message body: ${(error as Error).message}` };
  }
  return parseEnvelope(body);
}

export function outcomeHeaders(outcome: string): MsgHdrs {
  const carried = headers();
  carried.set(OUTCOME_HEADER, encodeURIComponent(outcome));
  return carried;
}

/** The outcome a reply carries, or `undefined` when the header is missing or garbled. */
export function readOutcome(msg: Msg): string | undefined {
  const encoded = msg.headers?.get(OUTCOME_HEADER);
  if (encoded === undefined || encoded === '') return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** The server's answer to a publish with a reply subject that no subscription matched. */
export function isNoRespondersStatus(msg: Msg): boolean {
  return msg.data.length === 0 && msg.headers?.code === 503;
}
