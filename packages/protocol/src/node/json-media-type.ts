/**
 * Whether a `content-type` is JSON: `application/json`, optionally with parameters
 * (`; charset=utf-8`) — not `application/json-patch+json` or other types that merely start so.
 */
export function isJsonMediaType(contentType: string): boolean {
  return /^application\/json[\t ]*(;|$)/i.test(contentType.trim());
}
