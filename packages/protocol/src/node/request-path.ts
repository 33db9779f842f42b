/**
 * The path of a request's URL (`request.url`), without its query. Every message passes here on
 * the bus and in relays, so it slices rather than splitting into an array.
 */
export function requestPath(url = '/'): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
