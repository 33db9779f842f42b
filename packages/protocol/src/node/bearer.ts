import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A secret kept as its SHA-256 digest, compared in constant time. Hashing first gives both sides
 * the same length, so neither the comparison nor a length check tells an attacker anything
 * about the secret.
 *
 * @example
 * const users = new Secret(process.env.USERS_TOKEN!)
 * users.matches(bearerToken(request.headers.authorization)) // true or false, constant time
 */
export class Secret {
  readonly #digest: Buffer;

  constructor(secret: string) {
    this.#digest = digest(secret);
  }

  /** Whether `candidate` is this secret; `undefined` never is. */
  matches(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    return timingSafeEqual(this.#digest, digest(candidate));
  }
}

/** The token of an `authorization: Bearer TOKEN` header, or `undefined` when there is none. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** The `authorization` header that presents `token`. */
export function bearerHeader(token: string): string {
  return `Bearer ${token}`;
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
