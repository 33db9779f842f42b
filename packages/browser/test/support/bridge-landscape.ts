import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFrontendBridge, type FrontendBridge, type FrontendBridgeOptions } from '@exorelay/sse';
import { type ExoCom, startExoCom } from 'exocom';
import { ExoRelay, type MessageHandler, type RelayOptions, type UntypedMessages } from 'exorelay';

type Handlers = Record<string, MessageHandler<UntypedMessages, string, ExoRelay>>;

export interface BridgeLandscape extends AsyncDisposable {
  bus: ExoCom;
  /** The service behind the bus that answers the messages. */
  backend: ExoRelay;
  /** The API server's relay (service `web`), which the bridge uses. */
  web: ExoRelay;
  bridge: FrontendBridge;
  /** The bridge's URL: `http://127.0.0.1:PORT/bridge`. */
  url: string;
  /** Cuts every open connection to the API server, as a network failure would. */
  cutConnections(): void;
}

export interface BridgeLandscapeOptions {
  /** Handlers of the `backend` service; every name is public unless `bridge.allow` says otherwise. */
  handlers?: Handlers;
  bridge?: Omit<FrontendBridgeOptions, 'relay'>;
  web?: Partial<RelayOptions<UntypedMessages>>;
}

async function startRelay(bus: ExoCom, serviceName: string, handlers: Handlers, options = {}): Promise<ExoRelay> {
  const relay = new ExoRelay({ serviceName, exocomPort: bus.port, exocomHost: '127.0.0.1', ...options });
  relay.on('error', () => {
    // Failures the tests provoke (refused payloads, failing handlers) are asserted on the client.
  });
  relay.registerHandlers(handlers);
  const port = await relay.listen(0);
  await bus.waitForInstance({ service: serviceName, port, receives: Object.keys(handlers) });
  return relay;
}

/**
 * ExoCom, a `backend` service, and an API server whose relay `web` serves a frontend bridge at
 * `/bridge`; all real, on loopback ports, closed on dispose.
 */
export async function startBridgeLandscape(options: BridgeLandscapeOptions = {}): Promise<BridgeLandscape> {
  const handlers = options.handlers ?? {};
  const bus = await startExoCom({ port: 0 });
  const backend = await startRelay(bus, 'backend', handlers);
  const web = await startRelay(bus, 'web', {}, options.web);
  const bridge = createFrontendBridge({ allow: { send: Object.keys(handlers) }, ...options.bridge, relay: web });
  await bus.waitForInstance({ service: 'web', port: web.port, receives: [...(options.bridge?.allow.receive ?? [])] });
  const server = createServer((request, response) => bridge(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    bus,
    backend,
    web,
    bridge,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bridge`,
    cutConnections: () => server.closeAllConnections(),
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
