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

/** An HTTP server, or an HTTPS one with `tls`: an https.Server is an http.Server over TLS sockets, so the helpers here serve both. */
export function createHttpServer(listener: RequestListener, tls?: ServerTlsOptions): Server {
  if (tls === undefined) return createServer(listener);
  const clientCertificates = tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true };
  return createTlsServer({ cert: tls.cert, key: tls.key, ...clientCertificates }, listener) as unknown as Server;
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
