import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Envelope } from '@exorelay/protocol';
import { pEvent } from 'p-event';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  envelope: Envelope;
}

/**
 * A bus that delivers nothing: it records what relays POST and answers like an original
 * ExoCom (200, empty body), so a test can play the other side by hand.
 */
export interface RecordingBus extends AsyncDisposable {
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** TCP connections relays opened to it so far. */
  readonly connections: number;
  /** Resolves with the first recorded request to `/send/NAME`. */
  nextSend(name: string): Promise<RecordedRequest>;
}

export async function startRecordingBus(port = 0): Promise<RecordingBus> {
  const requests: RecordedRequest[] = [];
  const recorded = new EventTarget();
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      envelope: text === '' ? ({} as Envelope) : (JSON.parse(text) as Envelope),
    });
    recorded.dispatchEvent(new Event('request'));
    response.end();
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(port, '127.0.0.1');
  await pEvent(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    get connections() {
      return connections;
    },
    async nextSend(name) {
      const path = `/send/${encodeURIComponent(name)}`;
      for (;;) {
        const found = requests.find((request) => request.path === path);
        if (found !== undefined) return found;
        await pEvent(recorded, 'request');
      }
    },
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
