import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { INSTANCE_HEADER } from '@exorelay/protocol';
import { Pool } from 'undici';

/** A service instance spoken at the wire level, in a child process of the flood test. */
export async function startInstance(
  busPort: number,
  serviceName: string,
  receives: string[],
  onRun: (name: string, envelope: Record<string, unknown>, response: ServerResponse) => void,
) {
  const bus = new Pool(`http://127.0.0.1:${busPort}`, { connections: 32 });
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/status') return void response.end('{"status":"online"}');
      const name = decodeURIComponent((request.url ?? '').slice('/run/'.length));
      onRun(name, JSON.parse(Buffer.concat(chunks).toString('utf8')), response);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const address = `127.0.0.1:${port}`;
  const post = async (path: string, body: unknown) => {
    const response = await bus.request({
      method: 'POST',
      path,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', [INSTANCE_HEADER]: address },
    });
    await response.body.text();
    return { status: response.statusCode, retryAfter: Number(response.headers['retry-after'] ?? 1) };
  };
  const registered = await post('/register', { serviceName, host: '127.0.0.1', port, receives });
  if (registered.status !== 200) throw new Error(`registering failed with ${registered.status}`);
  return {
    port,
    /** Sends until the bus takes it, waiting out every 503's retry-after; resolves with the 503s met. */
    async send(name: string, envelope: Record<string, unknown>): Promise<number> {
      for (let refusals = 0; ; refusals += 1) {
        const answer = await post(`/send/${encodeURIComponent(name)}`, { sender: serviceName, ...envelope });
        if (answer.status === 200) return refusals;
        if (answer.status !== 503) throw new Error(`the bus answered ${answer.status}`);
        await delay(answer.retryAfter * 1000);
      }
    },
  };
}
