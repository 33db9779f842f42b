import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** Read once per connection: a keep-alive connection's certificate does not change. */
const urisBySocket = new WeakMap<Socket, readonly string[]>();

/**
 * The URI subject alternative names of the client certificate a connection presented and the
 * server verified; `[]` for plain HTTP, no certificate, or one that failed verification.
 */
export function certificateUris(socket: Socket): readonly string[] {
  const known = urisBySocket.get(socket);
  if (known !== undefined) return known;
  const uris =
    socket instanceof TLSSocket && socket.authorized
      ? subjectAltUris(socket.getPeerX509Certificate()?.subjectAltName)
      : [];
  urisBySocket.set(socket, uris);
  return uris;
}

/** One entry of node's `subjectAltName`: `TYPE:value`, the value JSON-quoted when it holds a comma or quote. */
const sanEntry = /^([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/;

/**
 * The `URI:` entries of node's `subjectAltName` text (`URI:exorelay:service/users, IP Address:127.0.0.1`).
 * Stops at anything it cannot read: a certificate it misreads names no service.
 */
export function subjectAltUris(subjectAltName: string | undefined): string[] {
  const uris: string[] = [];
  let rest = subjectAltName ?? '';
  while (rest !== '') {
    const entry = sanEntry.exec(rest);
    if (entry === null || entry[0] === '') break;
    const [whole, type, raw = ''] = entry;
    if (type === 'URI') uris.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
    rest = rest.slice(whole.length);
  }
  return uris;
}
