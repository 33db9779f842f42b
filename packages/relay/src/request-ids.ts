import { randomBytes } from 'node:crypto';

/**
 * Request ids: a random prefix per process, then a counter. Unique across processes and
 * restarts (96 random bits), shorter on the wire than a UUID, and nothing to draw per message.
 */
const prefix = randomBytes(12).toString('base64url');
let counter = 0;

/** A fresh, unique `requestId`. */
export function nextRequestId(): string {
  counter += 1;
  return `${prefix}${counter.toString(36)}`;
}
