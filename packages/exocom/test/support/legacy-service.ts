import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message as a 2016 service sends it and receives it: the name is in the path. */
export interface LegacyMessage {
  name: string;
  sender: string;
  requestId: string;
  payload?: unknown;
  responseTo?: string;
}

export interface LegacyService extends AsyncDisposable {
  readonly port: number;
  /** Every `POST /run/NAME` it took, in order (its envelope as sent, plus the name). */
  readonly received: LegacyMessage[];
  /** `POST /send/NAME` to the bus with `{ sender, requestId, payload, responseTo }`, nothing more. */
  send(
    busPort: number,
    name: string,
    message: Omit<LegacyMessage, 'name' | 'sender'>,
  ): Promise<{ status: number; body: string }>;
  /** Replies to `request` as the 2016 relay did: a new message named `outcome` with `responseTo`, no `more`, no `seq`. */
  reply(
    busPort: number,
    request: LegacyMessage,
    outcome: string,
    payload?: unknown,
  ): Promise<{ status: number; body: string }>;
}

/**
 * A service as the 2016 exorelay wrote it, at the wire level: it takes `POST /run/NAME` and
 * sends `POST /send/NAME` with `{ sender, requestId, payload, responseTo }` only — no `seq`, no
 * `more`, no instance header. It never registers: the bus knows it from the configuration.
 */
export async function startLegacyService(serviceName: string): Promise<LegacyService> {
  const received: LegacyMessage[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    response.end('OK');
    if (!request.url?.startsWith('/run/')) return;
    received.push({ name: decodeURIComponent(request.url.slice('/run/'.length)), ...JSON.parse(body) });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const send: LegacyService['send'] = async (busPort, name, message) => {
    const response = await fetch(`http://127.0.0.1:${busPort}/send/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: serviceName, ...message }),
    });
    return { status: response.status, body: await response.text() };
  };
  return {
    port,
    received,
    send,
    reply: (busPort, request, outcome, payload) =>
      send(busPort, outcome, { requestId: randomUUID(), responseTo: request.requestId, payload }),
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
