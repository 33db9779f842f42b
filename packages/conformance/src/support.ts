import type { Reply } from 'exorelay';

/** Reads a reply stream to its end. */
export async function collect<R extends Reply>(stream: AsyncIterable<R>): Promise<R[]> {
  const replies: R[] = [];
  for await (const reply of stream) replies.push(reply);
  return replies;
}

/** The error a promise rejects with; fails if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** A promise with its resolve function outside, for a test to wait on a handler. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
