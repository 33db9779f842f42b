/** Message names that start with this prefix belong to the protocol; user code cannot register or send them. */
export const RESERVED_PREFIX = 'exo.';

/** The outcome of a final reply that reports a failure; its payload is an {@link ErrorReplyPayload}. */
export const ERROR_OUTCOME = 'exo.error';

/**
 * Whether `name` belongs to the protocol (starts with `exo.`): services may not send, handle or
 * reply with such names themselves.
 *
 * @example
 * isReservedName('exo.error') // true
 */
export function isReservedName(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX);
}

/** The path a relay POSTs to hand a message to the bus. Names may hold spaces (`'insufficient funds'`), so they are encoded. */
export function sendPath(name: string): string {
  return `/send/${encodeURIComponent(name)}`;
}

/** The path the bus POSTs to deliver a message to a relay. */
export function runPath(name: string): string {
  return `/run/${encodeURIComponent(name)}`;
}

/** Reads NAME back from a `/send/NAME` or `/run/NAME` path segment; `undefined` when empty or malformed. */
export function decodeMessageName(encoded: string): string | undefined {
  // Most names need no decoding: every message and reply passes here, on the bus and in relays.
  if (!encoded.includes('%')) return encoded === '' ? undefined : encoded;
  try {
    const name = decodeURIComponent(encoded);
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}
