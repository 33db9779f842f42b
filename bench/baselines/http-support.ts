import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

/** Reads a whole request body as text. */
export async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Idle keep-alive of a floor's servers: ExoCom's and the relays' (65 s), so that no system
 * reopens its pools after sitting out the other systems' rounds while another does not.
 */
const keepAliveMs = 65_000;

/** A bare node:http server on an ephemeral loopback port. */
export async function listen(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.statusCode = 500;
      response.end();
    });
  });
  server.keepAliveTimeout = keepAliveMs;
  server.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return { server, port: (server.address() as AddressInfo).port };
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A keep-alive undici Pool to a loopback port. */
export function poolTo(port: number, connections: number): Pool {
  return new Pool(`http://127.0.0.1:${port}`, { connections });
}

/** POSTs `body` and resolves with the answer's text; a status other than 200 rejects. */
export async function post(pool: Pool, path: string, body: string): Promise<string> {
  const response = await pool.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`POST ${path} answered ${response.statusCode}: ${text}`);
  return text;
}
