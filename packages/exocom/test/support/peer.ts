import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Envelope, INSTANCE_HEADER, sendPath } from '@exorelay/protocol';

export interface PeerDelivery {
  name: string;
  envelope: Envelope;
}

export type PeerAnswer = number | { status: number; headers: Record<string, string> };

export interface PeerOptions {
  receives?: string[];
  /** The status (and headers) `POST /run` answers with; 200 unless told. */
  answer?: (delivery: PeerDelivery) => PeerAnswer | Promise<PeerAnswer>;
  /** Registers with the bus once it listens; `false` leaves that to the test. Default `true`. */
  register?: boolean;
}

/**
 * A service instance spoken at the wire level: a real HTTP server that records every
 * `POST /run/NAME`, registers with the bus, and sends with or without the instance header.
 * Tests use it where a relay cannot be made to misbehave (answer 500, hold an answer, crash
 * without deregistering) or where they check exactly which instance got a message.
 */
export interface Peer extends AsyncDisposable {
  readonly serviceName: string;
  readonly port: number;
  readonly address: string;
  readonly received: PeerDelivery[];
  register(receives?: string[]): Promise<void>;
  /** `POST /deregister`, as a relay that starts closing does; the server keeps answering. */
  deregister(): Promise<void>;
  /** POSTs `/send/NAME` to the bus; `identify: false` leaves the instance header out. */
  send(name: string, envelope: Envelope, options?: { identify?: boolean }): Promise<{ status: number; body: string }>;
  /** Stops answering, without deregistering (a crashed instance). */
  close(): Promise<void>;
}

export async function startPeer(busPort: number, serviceName: string, options: PeerOptions = {}): Promise<Peer> {
  const received: PeerDelivery[] = [];
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readAll(request);
    if (request.url === '/status') return void response.end('{"status":"online"}');
    const delivery = {
      name: decodeURIComponent((request.url ?? '').slice('/run/'.length)),
      envelope: JSON.parse(body),
    };
    received.push(delivery);
    const answer = (await options.answer?.(delivery)) ?? 200;
    if (typeof answer !== 'number') {
      for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
    }
    response.statusCode = typeof answer === 'number' ? answer : answer.status;
    response.end(response.statusCode === 200 ? 'OK' : `refused with ${response.statusCode}`);
  };
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const address = `127.0.0.1:${port}`;
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${busPort}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.text() };
  };
  const close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };
  const peer: Peer = {
    serviceName,
    port,
    address,
    received,
    async register(receives = options.receives ?? []) {
      const answer = await post('/register', { serviceName, host: '127.0.0.1', port, receives });
      if (answer.status !== 200) throw new Error(`registering failed: ${answer.status} ${answer.body}`);
    },
    async deregister() {
      const answer = await post('/deregister', { serviceName, host: '127.0.0.1', port });
      if (answer.status !== 200) throw new Error(`deregistering failed: ${answer.status} ${answer.body}`);
    },
    send: (name, envelope, { identify = true } = {}) =>
      post(sendPath(name), { sender: serviceName, ...envelope }, identify ? { [INSTANCE_HEADER]: address } : {}),
    close,
    [Symbol.asyncDispose]: () => (server.listening ? close() : Promise.resolve()),
  };
  if (options.register !== false) await peer.register();
  return peer;
}

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
