/**
 * HTTP floor for a bus: the least any HTTP bus can cost, hand-written with node:http and undici
 * Pools. No validation, no routing table (the bus knows its few ports), no envelopes (the id
 * travels in the path, the body is the JSON payload as is).
 *
 * - Request, 4 hops: client POST /request/ID → bus answers at once and POSTs /run/request/ID to
 *   the next echo instance (round robin) → the service answers at once and POSTs /reply/ID with
 *   its answer to the bus → the bus answers at once and POSTs /reply/ID to the client's server →
 *   the client resolves the pending ID.
 * - Event, 2 hops: client POST /event → the bus answers at once and POSTs /run/event to one echo
 *   instance and to every listener service.
 * - Stream: like a request, but the service POSTs `chunks` replies (STREAM_WINDOW in flight) and
 *   the client counts them; no ordering, since nothing in the floor needs it.
 *
 * Like ExoCom, every hop answers before it forwards, and pools have ExoRelay's and ExoCom's
 * default sizes (32 to the bus, 16 from the bus to each instance). Payloads are JSON-decoded
 * where a user's code would decode them (service and client), never by the bus.
 *
 * Bus, services and client can run in one process (`startMinimalFourHopBus`) or each in its own:
 * `startMinimalBus` first, then the services and the client (`placement`) given its port, then
 * the bus learns theirs (`route`).
 */
import type { Server } from 'node:http';
import type { Pool } from 'undici';
import { chunk, type OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import { pipelined } from '../harness/load.js';
import { type Placement, type Rig, STREAM_WINDOW, type Topology, wholeTopology } from '../harness/rig.js';
import { closeServer, listen, poolTo, post, readText } from './http-support.js';

const toBus = 32;
const fromBus = 16;

type Pending = (text: string) => void;

/** Where the bus forwards: echo instances round robin, every listener for events, the client for replies. */
export interface BusRoutes {
  echo: readonly number[];
  listeners: readonly number[];
  client: number;
}

/** The bus alone: it listens at once and forwards once `route` told it where. */
export interface MinimalBus extends AsyncDisposable {
  readonly port: number;
  route(routes: BusRoutes): void;
}

/** Servers and pools one process holds, closed together. */
class Resources {
  readonly servers: Server[] = [];
  readonly pools: Pool[] = [];

  pool(port: number, connections: number): Pool {
    const created = poolTo(port, connections);
    this.pools.push(created);
    return created;
  }

  async serve(...args: Parameters<typeof listen>): Promise<number> {
    const started = await listen(...args);
    this.servers.push(started.server);
    return started.port;
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((created) => created.close()));
    await Promise.all(this.servers.map(closeServer));
  }
}

export async function startMinimalBus(): Promise<MinimalBus> {
  const resources = new Resources();
  let echoPools: Pool[] = [];
  let listenerPools: Pool[] = [];
  let clientPool: Pool | undefined;
  let nextEcho = 0;
  const anEcho = () => {
    nextEcho = (nextEcho + 1) % echoPools.length;
    return echoPools[nextEcho] as Pool;
  };
  const forward = (target: Pool | undefined, path: string, body: string) => {
    // Answered before forwarding, like ExoCom: a failed forward shows up as a missing reply.
    if (target !== undefined) post(target, path, body).catch(() => {});
  };
  const port = await resources.serve(async (request, response) => {
    const url = request.url ?? '';
    const body = await readText(request);
    response.end();
    if (url.startsWith('/reply/')) forward(clientPool, url, body);
    else if (url === '/event') for (const target of [anEcho(), ...listenerPools]) forward(target, '/run/event', body);
    else forward(anEcho(), `/run${url}`, body);
  });
  return {
    port,
    route(routes) {
      echoPools = routes.echo.map((target) => resources.pool(target, fromBus));
      listenerPools = routes.listeners.map((target) => resources.pool(target, fromBus));
      clientPool = resources.pool(routes.client, fromBus);
    },
    [Symbol.asyncDispose]: () => resources.close(),
  };
}

/** The services and the client `placement` puts in this process, talking to the bus at `busPort`. */
export async function startMinimalBusParts(busPort: number, placement: Placement): Promise<Rig> {
  const resources = new Resources();
  const deliveries = new DeliveryCounter();
  const streamChunk = chunk();
  let bus: Pool | undefined;
  const toTheBus = () => {
    bus ??= resources.pool(busPort, toBus);
    return bus;
  };
  const startService = (options: { echo: boolean }) =>
    resources.serve(async (request, response) => {
      const url = request.url ?? '';
      const payload: unknown = JSON.parse(await readText(request));
      response.end();
      if (url === '/run/event') {
        deliveries.add();
        return;
      }
      if (!options.echo) return;
      const id = url.slice(url.lastIndexOf('/') + 1);
      if (url.startsWith('/run/request/')) {
        await post(toTheBus(), `/reply/${id}`, JSON.stringify(payload));
        return;
      }
      const { chunks } = payload as { chunks: number };
      // Each chunk serialised as it goes out, as a service streaming distinct chunks must.
      await pipelined(chunks, STREAM_WINDOW, () => post(toTheBus(), `/reply/${id}`, JSON.stringify(streamChunk)));
    });

  const ports: number[] = [];
  for (let instance = 0; instance < placement.echoInstances; instance += 1) {
    ports.push(await startService({ echo: true }));
  }
  for (const _listener of placement.listeners) ports.push(await startService({ echo: false }));

  const pending = new Map<string, Pending>();
  if (placement.client) {
    ports.push(
      await resources.serve(async (request, response) => {
        const url = request.url ?? '';
        const text = await readText(request);
        response.end();
        pending.get(url.slice('/reply/'.length))?.(text);
      }),
    );
  }
  let nextId = 0;
  const expect = (id: string, onReply: Pending) => pending.set(id, onReply);

  return {
    deliveries,
    ports,
    async send(payload: OrderPlaced) {
      await post(toTheBus(), '/event', JSON.stringify(payload));
    },
    request(payload: OrderPlaced) {
      const id = String(nextId++);
      return new Promise((resolve, reject) => {
        expect(id, (text) => {
          pending.delete(id);
          resolve(JSON.parse(text));
        });
        post(toTheBus(), `/request/${id}`, JSON.stringify(payload)).catch(reject);
      });
    },
    stream(chunks: number) {
      const id = String(nextId++);
      let received = 0;
      let bytes = 0;
      return new Promise<number>((resolve, reject) => {
        expect(id, (text) => {
          received += 1;
          bytes += (JSON.parse(text) as string).length;
          if (received < chunks) return;
          pending.delete(id);
          resolve(bytes);
        });
        post(toTheBus(), `/stream/${id}`, JSON.stringify({ chunks })).catch(reject);
      });
    },
    [Symbol.asyncDispose]: () => resources.close(),
  };
}

/** Bus, services and client in this process. */
export async function startMinimalFourHopBus(topology: Topology): Promise<Rig> {
  const bus = await startMinimalBus();
  try {
    const placement = wholeTopology(topology);
    const parts = await startMinimalBusParts(bus.port, placement);
    const ports = parts.ports ?? [];
    const listeners = placement.listeners.length;
    bus.route({
      echo: ports.slice(0, topology.instances),
      listeners: ports.slice(topology.instances, topology.instances + listeners),
      client: ports[topology.instances + listeners] ?? 0,
    });
    return {
      ...parts,
      async [Symbol.asyncDispose]() {
        await parts[Symbol.asyncDispose]();
        await bus[Symbol.asyncDispose]();
      },
    };
  } catch (error) {
    await bus[Symbol.asyncDispose]();
    throw error;
  }
}
