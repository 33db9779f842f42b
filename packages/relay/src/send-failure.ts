import { InvalidArgumentError } from './errors.js';

/**
 * The error a caller gets for a message its transport could not send. A payload too deep for
 * `JSON.stringify` fails there with a bare `RangeError` (call stack exceeded): it is the
 * caller's payload that is wrong, so it becomes an `InvalidArgumentError`.
 */
export function sendFailure(name: string, error: unknown): Error {
  if (error instanceof RangeError) {
    return new InvalidArgumentError(`cannot send '${name}': its payload is too deeply nested to serialise as JSON`, {
      cause: error,
    });
  }
  return error as Error;
}
