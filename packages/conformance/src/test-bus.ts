import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  BUS_INSTANCE_HEADER,
  type Envelope,
  INSTANCE_HEADER,
  runPath,
  type ServiceDeregistration,
  type ServiceRegistration,
} from '@exorelay/protocol';
import { pEvent } from 'p-event';
import { request } from 'undici';

export interface ReceivedMessage {
  name: string;
  envelope: Envelope;
}

/**
 * A small real-HTTP stand-in for ExoCom, for testing the HTTP transport without the bus package:
 * takes `POST /send/NAME`, forwards it to one instance (round robin) of every service that
 * registered the name (`POST /register`; a registration with no names keeps the instance for
 * replies only), tries another instance, or the same one a little later, when an instance
 * answers 503 (busy or closing), routes replies back to the instance that sent the request, and
 * records everything it received. It forwards concurrently, as the real bus does, and names
 * itself on every answer, so it can be restarted like a real one.
 */
export interface TestBus extends AsyncDisposable {
  readonly port: number;
  readonly received: ReceivedMessage[];
  /** Resolves once a relay of `serviceName` registered. */
  waitForService(serviceName: string): Promise<void>;
  /** Stops at once, forgetting every registration and reply route, and starts again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** How often a message an instance refused with 503 is offered again before the bus gives up. */
const BUSY_ATTEMPTS = 50;

export async function startTestBus(): Promise<TestBus> {
  const received: ReceivedMessage[] = [];
  const registered = new EventTarget();
  let state = freshState();

  const instanceKey = (registration: { host: string; port: number }) => `${registration.host}:${registration.port}`;

  const post = (instance: ServiceRegistration, name: string, body: string) =>
    request(`http://${instance.host}:${instance.port}${runPath(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then(
      async (response) => {
        await response.body.dump();
        return response.statusCode;
      },
      () => 0,
    );

  /** One instance of `service` takes the message; busy ones are skipped, then offered it again. */
  const deliver = async (service: string, name: string, body: string) => {
    for (let attempt = 0; attempt < BUSY_ATTEMPTS; attempt += 1) {
      const candidates = [...state.instances.values()].filter(
        (instance) => instance.serviceName === service && instance.receives.includes(name),
      );
      if (candidates.length === 0) return;
      state.turn += 1;
      for (let offset = 0; offset < candidates.length; offset += 1) {
        const status = await post(candidates[(state.turn + offset) % candidates.length]!, name, body);
        if (status !== 503 && status !== 0) return;
      }
      await delay(20);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '/';
    response.setHeader(BUS_INSTANCE_HEADER, state.id);
    if (path === '/register') {
      const registration = JSON.parse(body) as ServiceRegistration;
      state.instances.set(instanceKey(registration), registration);
      registered.dispatchEvent(new Event('registered'));
      response.end('OK');
      return;
    }
    if (path === '/deregister') {
      state.instances.delete(instanceKey(JSON.parse(body) as ServiceDeregistration));
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
    const from = request.headers[INSTANCE_HEADER];
    if (typeof from === 'string') state.senderOf.set(envelope.requestId, from);
    let receivers = 0;
    if (envelope.responseTo === undefined) {
      const services = new Set(
        [...state.instances.values()]
          .filter((instance) => instance.receives.includes(name))
          .map((instance) => instance.serviceName),
      );
      receivers = services.size;
      for (const service of services) void deliver(service, name, body);
    } else {
      const requester = state.instances.get(state.senderOf.get(envelope.responseTo) ?? '');
      if (requester !== undefined) {
        receivers = 1;
        void post(requester, name, body);
      }
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ receivers }));
  };

  let server = await listen(0, handle);
  const port = (server.address() as AddressInfo).port;

  const close = async () => {
    await stop(server);
  };
  return {
    port,
    received,
    async waitForService(serviceName) {
      const has = () => [...state.instances.values()].some((instance) => instance.serviceName === serviceName);
      while (!has()) await pEvent(registered, 'registered');
    },
    async restart() {
      await stop(server);
      state = freshState();
      server = await listen(port, handle);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function freshState() {
  return {
    id: crypto.randomUUID(),
    instances: new Map<string, ServiceRegistration>(),
    /** requestId → `host:port` of the instance that sent it. */
    senderOf: new Map<string, string>(),
    turn: 0,
  };
}

async function listen(port: number, handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>) {
  const server = createServer((request, response) => void handle(request, response));
  server.listen(port, '127.0.0.1');
  await pEvent(server, 'listening');
  return server;
}

/** Like a crash: every connection drops at once. */
async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
