import type { IncomingMessage } from 'node:http';
import { readBody } from '@exorelay/protocol/node';

export type JsonBodyResult =
  | { ok: true; json: unknown }
  | { ok: false; problem: 'too-large' | 'malformed' | 'aborted'; reason: string };

/**
 * Reads and parses a JSON request body of at most `limit` bytes, refusing a larger one as soon
 * as that is known. The rest of a refused body is drained rather than destroyed, so the socket
 * stays able to carry the refusal.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<JsonBodyResult> {
  const text = await readBody(request, limit);
  if (!text.ok && text.error === 'too-large') {
    return { ok: false, problem: 'too-large', reason: `the body is larger than the limit of ${limit} bytes` };
  }
  if (!text.ok) return { ok: false, problem: 'aborted', reason: 'the browser went away mid-body' };
  try {
    return { ok: true, json: JSON.parse(text.text) };
  } catch (error) {
    return { ok: false, problem: 'malformed', reason: `malformed JSON in the body: ${(error as Error).message}` };
  }
}
