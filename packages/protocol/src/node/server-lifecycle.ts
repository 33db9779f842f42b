import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** HTTPS for a server: its certificate and key (PEM); with `ca`, callers must present a client certificate it signed (mTLS). */
export interface ServerTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  ca?: string | Buffer;
}

/**
 * How long the bus's and a relay's servers keep an idle keep-alive connection. Their callers are
 * long-lived peers with pools of connections: Node's default of 5 s made every pool reopen (and
 * over TLS, handshake) its connections after each quiet spell of 3 s. Undici reads the answer's
 * `Keep-Alive: timeout=65` and closes its side 2 s earlier, so a request never meets a socket the
 * server is closing; 65 s also outlasts the 60 s idle timeout of common load balancers in front.
 */
const peerKeepAliveMs = 65_000;

/** An HTTP server, or an HTTPS one with `tls`, for peers: an https.Server is an http.Server over TLS sockets, so the helpers here serve both. */
export function createHttpServer(listener: RequestListener, tls?: ServerTlsOptions): Server {
  const server = tls === undefined ? createServer(listener) : createTlsServer(tlsOptions(tls), listener);
  server.keepAliveTimeout = peerKeepAliveMs;
  return server as Server;
}

function tlsOptions(tls: ServerTlsOptions) {
  const clientCertificates = tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true };
  return { cert: tls.cert, key: tls.key, ...clientCertificates };
}

/**
 * Binds `server` and resolves with its port (`port` 0 picks a free one). A taken port rejects
 * with what `portInUse` makes of the `EADDRINUSE` error, so each package raises its own class.
 */
export async function listenOn(
  server: Server,
  address: { port: number; host: string },
  portInUse: (cause: Error) => Error = (cause) => cause,
): Promise<number> {
  server.listen(address.port, address.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUse(error as Error);
    throw error;
  }
  return (server.address() as AddressInfo).port;
}

/** Stops taking connections, lets requests in flight finish, then closes idle keep-alive sockets. */
export async function closeGracefully(server: Server): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  await closed;
}
