import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
