/**
 * How ExoRelay names become NATS subjects. A NATS subject is a dot-separated list of non-empty
 * tokens without whitespace, where `*` and `>` are wildcards; message names may hold anything
 * (`'insufficient funds'`, `'transfer money/now?'`, `'a..b'`). Every character outside
 * `A-Z a-z 0-9 _ -` is percent-encoded as UTF-8 (`%20`), and so is `%` itself, which keeps the
 * mapping one-to-one. In names, a dot between two non-empty parts stays a dot, so
 * `users.create` maps to the subject hierarchy `exorelay.users.create`.
 */

const plain = /^[A-Za-z0-9_-]$/;
const plainText = /^[A-Za-z0-9_-]+$/;
const encoder = new TextEncoder();

/** The subject that carries message `name` under `prefix`. */
export function messageSubject(prefix: string, name: string): string {
  return `${prefix}.${encodeName(name)}`;
}

/** Encodes a name whose dots separate subject tokens (see the module comment). */
export function encodeName(name: string): string {
  const parts = name.split('.');
  let encoded = subjectToken(parts[0] ?? '');
  for (let index = 1; index < parts.length; index += 1) {
    const left = parts[index - 1] ?? '';
    const right = parts[index] ?? '';
    encoded += left !== '' && right !== '' ? '.' : '%2E';
    encoded += subjectToken(right);
  }
  return encoded;
}

/** Encodes text into one subject token (dots included), e.g. a request id or a queue group. */
export function subjectToken(text: string): string {
  // Request ids (UUIDs) and most service names need no encoding: one test instead of one per character.
  if (plainText.test(text)) return text;
  let token = '';
  for (const char of text) token += plain.test(char) ? char : percentEncode(char);
  return token;
}

/** Why `prefix` cannot start ExoRelay's subjects, or `undefined` when it can. */
export function subjectPrefixProblem(prefix: unknown): string | undefined {
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    return `subjectPrefix must be dot-separated tokens of letters, digits, '_' and '-', got ${JSON.stringify(prefix)}`;
  }
  return undefined;
}

function percentEncode(char: string): string {
  let escaped = '';
  for (const byte of encoder.encode(char)) escaped += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return escaped;
}
