import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; text: string } | { ok: false; error: 'too-large' | 'aborted' };

/** Reads a request body up to `limit` bytes, refusing larger ones as soon as that is known. */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    // Let the rest flow, so the refusal can still be answered.
    request.resume();
    return Promise.resolve({ ok: false, error: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, error: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') });
    const onAbort = () => finish({ ok: false, error: 'aborted' });
    const finish = (result: BodyResult) => {
      request.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort);
      // Drain what is left so the socket stays usable (or closes cleanly after the answer).
      if (!result.ok) request.resume();
      resolve(result);
    };
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort);
  });
}
