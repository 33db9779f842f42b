import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type BodyResult = { ok: true; text: string } | { ok: false; error: 'too-large' | 'aborted' };

export interface ReadBodyOptions {
  /**
   * Most bytes of a too-large body read and thrown away before `readBody` resolves, in bytes.
   * Most clients read the answer only once their upload is done: answering (and closing) while
   * they still send makes them see `EPIPE` or a reset instead of the 413. A body larger still
   * is answered at this point and its connection closed.
   * @default 16 MiB, or four times `limit` when that is more
   */
  discardLimit?: number;
}

/**
 * Reads a request body up to `limit` bytes. A larger one — declared by its `content-length`, or
 * found to be while reading — is read to its end and thrown away (up to `discardLimit`), so the
 * sender can read the 413 the caller answers; then `{ ok: false, error: 'too-large' }`.
 */
export function readBody(request: IncomingMessage, limit: number, options: ReadBodyOptions = {}): Promise<BodyResult> {
  const discardLimit = options.discardLimit ?? Math.max(16 * 1024 * 1024, 4 * limit);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return discard(request, 0, discardLimit).then(() => ({ ok: false, error: 'too-large' }));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        chunks.length = 0;
        void discard(request, size, discardLimit).then(() => resolve({ ok: false, error: 'too-large' }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') });
    const onAbort = () => finish({ ok: false, error: 'aborted' });
    const stop = () => request.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort);
    const finish = (result: BodyResult) => {
      stop();
      resolve(result);
    };
    request.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort);
  });
}

/** Reads and drops the rest of a body; resolves at its end, when it breaks, or past `most` bytes in all. */
function discard(request: IncomingMessage, alreadyRead: number, most: number): Promise<void> {
  if (request.complete) return Promise.resolve();
  return new Promise((resolve) => {
    let size = alreadyRead;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > most) done();
    };
    const done = () => {
      request.off('data', onData).off('end', done).off('error', done).off('aborted', done).off('close', done);
      // Past the bound the rest still flows into nothing until the answer closes the connection.
      request.resume();
      resolve();
    };
    request.on('data', onData).on('end', done).on('error', done).on('aborted', done).on('close', done);
    request.resume();
  });
}

/**
 * Answers `Expect: 100-continue` uploads: one that declares a body over `limit` is refused at
 * once with `refuse` (a 413) and never told to continue, so a client that waits for `100
 * Continue` (curl does, for large bodies) reads the 413 instead of sending the body; any other
 * gets `100 Continue` and the server's request handler.
 */
export function refuseOversizedUploads(
  server: Server,
  limit: number,
  refuse: (request: IncomingMessage, response: ServerResponse) => void,
): void {
  server.on('checkContinue', (request, response) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // The client holds the body back: closing after the answer leaves nothing half-sent.
      response.shouldKeepAlive = false;
      refuse(request, response);
      return;
    }
    response.writeContinue();
    server.emit('request', request, response);
  });
}
