import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { pEvent } from 'p-event';

/** A port nothing listens on (bound, then released): a bus that is not there. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await pEvent(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
