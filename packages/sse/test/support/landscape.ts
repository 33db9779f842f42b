import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExoCom, startExoCom } from 'exocom';
import { ExoRelay, type MessageHandler, type RelayOptions, type UntypedMessages } from 'exorelay';
import { createFrontendBridge, type FrontendBridge, type FrontendBridgeOptions } from '../../src/index.js';

export type Handlers = Record<string, MessageHandler<UntypedMessages, string, ExoRelay>>;

/** A relay on `bus` listening on a free port, resolved once the bus routes its handled names to it. */
export async function startService(
  bus: ExoCom,
  serviceName: string,
  handlers: Handlers = {},
  options: Partial<RelayOptions<UntypedMessages>> = {},
): Promise<ExoRelay & { errors: Error[] }> {
  const relay = new ExoRelay({ serviceName, exocomPort: bus.port, exocomHost: '127.0.0.1', ...options });
  const errors: Error[] = [];
  relay.on('error', (error) => errors.push(error));
  relay.registerHandlers(handlers);
  const port = await relay.listen(0);
  await bus.waitForInstance({ service: serviceName, port, receives: Object.keys(handlers) });
  return Object.assign(relay, { errors });
}

/** A `node:http` server on a free loopback port; `url` is its origin. */
export async function startHttpServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export interface ApiLandscape extends AsyncDisposable {
  bus: ExoCom;
  /** The service behind the bus that answers the messages. */
  backend: ExoRelay & { errors: Error[] };
  /** The API server's relay (service `web`), which the bridge uses. */
  web: ExoRelay & { errors: Error[] };
  bridge: FrontendBridge;
  /** Origin of the API server. */
  url: string;
  /** What the bridge reported through `onError`. */
  bridgeErrors: Error[];
}

export interface ApiLandscapeOptions {
  /** Handlers of the `backend` service. */
  handlers?: Handlers;
  bridge?: Omit<FrontendBridgeOptions, 'relay' | 'onError'>;
  web?: Partial<RelayOptions<UntypedMessages>>;
  /** Called with the API server once it listens, as an app sets up its own server. */
  setUpServer?: (server: Server) => void;
}

/**
 * ExoCom, a `backend` service, and an API server (relay `web`) that mounts the frontend
 * bridge at `/bridge` and answers everything else with 404; all on loopback, closed on dispose.
 */
export async function startApiLandscape(options: ApiLandscapeOptions = {}): Promise<ApiLandscape> {
  const bus = await startExoCom({ port: 0 });
  const backend = await startService(bus, 'backend', options.handlers);
  const web = await startService(bus, 'web', {}, options.web);
  const bridgeErrors: Error[] = [];
  const bridge = createFrontendBridge({
    allow: { send: Object.keys(options.handlers ?? {}) },
    ...options.bridge,
    relay: web,
    onError: (error) => bridgeErrors.push(error),
  });
  const receives = [...(options.bridge?.allow.receive ?? [])];
  await bus.waitForInstance({ service: 'web', port: web.port, receives });
  const { server, url } = await startHttpServer((request, response) =>
    bridge(request, response, () => response.writeHead(404).end('not the bridge')),
  );
  options.setUpServer?.(server);
  return {
    bus,
    backend,
    web,
    bridge,
    url,
    bridgeErrors,
    async [Symbol.asyncDispose]() {
      bridge.close();
      server.closeAllConnections();
      server.close();
      await Promise.all([web.close(), backend.close()]);
      await bus.close();
    },
  };
}

/** Resolves once `check` holds; fails after `timeout` ms. */
export async function eventually(check: () => boolean, { timeout = 5000, interval = 5 } = {}): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
