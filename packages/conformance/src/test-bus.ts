import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Envelope, runPath, type ServiceRegistration } from '@exorelay/protocol';
import { pEvent } from 'p-event';
import { request } from 'undici';

export interface ReceivedMessage {
  name: string;
  envelope: Envelope;
}

/**
 * A small real-HTTP stand-in for ExoCom, for testing the HTTP transport without the bus package:
 * takes `POST /send/NAME`, forwards to every relay that registered the name (`POST /register`;
 * one instance per service), routes replies back to the service that sent the request, and
 * records everything it received. It forwards concurrently, as the real bus does.
 */
export interface TestBus extends AsyncDisposable {
  readonly port: number;
  readonly received: ReceivedMessage[];
  /** Resolves once a relay of `serviceName` registered. */
  waitForService(serviceName: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestBus(): Promise<TestBus> {
  const received: ReceivedMessage[] = [];
  const instances = new Map<string, ServiceRegistration>();
  const senderOf = new Map<string, string>();
  const registered = new EventTarget();

  const forward = (registration: ServiceRegistration, name: string, body: string) =>
    request(`http://${registration.host}:${registration.port}${runPath(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then(
      (response) => response.body.dump(),
      () => undefined,
    );

  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '/';
    if (path === '/register') {
      const registration = JSON.parse(body) as ServiceRegistration;
      instances.set(registration.serviceName, registration);
      registered.dispatchEvent(new Event('registered'));
      response.end('OK');
      return;
    }
    if (path === '/deregister') {
      instances.delete((JSON.parse(body) as ServiceRegistration).serviceName);
      response.end('OK');
      return;
    }
    if (!path.startsWith('/send/')) {
      response.end('OK');
      return;
    }
    const name = decodeURIComponent(path.slice('/send/'.length));
    const envelope = JSON.parse(body) as Envelope;
    received.push({ name, envelope });
    if (envelope.sender !== undefined) senderOf.set(envelope.requestId, envelope.sender);
    const targets =
      envelope.responseTo === undefined
        ? [...instances.values()].filter((instance) => instance.receives.includes(name))
        : [instances.get(senderOf.get(envelope.responseTo) ?? '')].filter((instance) => instance !== undefined);
    for (const target of targets) void forward(target, name, body);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ receivers: targets.length }));
  });
  server.listen(0, '127.0.0.1');
  await pEvent(server, 'listening');

  const close = async () => {
    server.closeAllConnections();
    server.close();
  };
  return {
    port: (server.address() as AddressInfo).port,
    received,
    async waitForService(serviceName) {
      while (!instances.has(serviceName)) await pEvent(registered, 'registered');
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
