import type { IncomingMessage } from 'node:http';

export type JsonBodyResult =
  | { ok: true; json: unknown }
  | { ok: false; problem: 'too-large' | 'malformed' | 'aborted'; reason: string };

/**
 * Reads and parses a JSON request body of at most `limit` bytes, refusing a larger one as soon
 * as that is known. The rest of a refused body is drained rather than destroyed, so the socket
 * stays able to carry the refusal.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<JsonBodyResult> {
  const text = await readText(request, limit);
  if (!text.ok) return text;
  try {
    return { ok: true, json: JSON.parse(text.text) };
  } catch (error) {
    return { ok: false, problem: 'malformed', reason: `malformed JSON in the body: ${(error as Error).message}` };
  }
}

type TextResult = { ok: true; text: string } | { ok: false; problem: 'too-large' | 'aborted'; reason: string };

function readText(request: IncomingMessage, limit: number): Promise<TextResult> {
  const tooLarge: TextResult = {
    ok: false,
    problem: 'too-large',
    reason: `the body is larger than the limit of ${limit} bytes`,
  };
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge);
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') });
    const onAbort = () => finish({ ok: false, problem: 'aborted', reason: 'the browser went away mid-body' });
    const finish = (result: TextResult) => {
      request.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort);
      if (!result.ok) request.resume();
      resolve(result);
    };
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort);
  });
}
