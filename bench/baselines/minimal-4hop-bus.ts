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
 */
import type { Server } from 'node:http';
import type { Pool } from 'undici';
import { chunk, type OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import { pipelined } from '../harness/load.js';
import { type Rig, STREAM_WINDOW, type Topology } from '../harness/rig.js';
import { closeServer, listen, poolTo, post, readText } from './http-support.js';

const toBus = 32;
const fromBus = 16;

type Pending = (text: string) => void;

export async function startMinimalFourHopBus(topology: Topology): Promise<Rig> {
  const deliveries = new DeliveryCounter();
  const servers: Server[] = [];
  const pools: Pool[] = [];
  const pool = (port: number, connections: number) => {
    const created = poolTo(port, connections);
    pools.push(created);
    return created;
  };
  const serve = async (...args: Parameters<typeof listen>) => {
    const started = await listen(...args);
    servers.push(started.server);
    return started.port;
  };

  // The bus's port is known only once it listens; services and client reach it through this.
  let busPort = 0;
  const lazyBusPool = () => {
    let created: Pool | undefined;
    return () => {
      created ??= pool(busPort, toBus);
      return created;
    };
  };

  const streamChunk = chunk();
  const startService = (options: { echo: boolean }) => {
    const bus = lazyBusPool();
    return serve(async (request, response) => {
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
        await post(bus(), `/reply/${id}`, JSON.stringify(payload));
        return;
      }
      const { chunks } = payload as { chunks: number };
      const body = JSON.stringify(streamChunk);
      await pipelined(chunks, STREAM_WINDOW, () => post(bus(), `/reply/${id}`, body));
    });
  };

  const echoPorts: number[] = [];
  for (let instance = 0; instance < topology.instances; instance += 1) {
    echoPorts.push(await startService({ echo: true }));
  }
  const listenerPorts: number[] = [];
  for (let listener = 1; listener < topology.receivers; listener += 1) {
    listenerPorts.push(await startService({ echo: false }));
  }

  const pending = new Map<string, Pending>();
  const clientPort = await serve(async (request, response) => {
    const url = request.url ?? '';
    const text = await readText(request);
    response.end();
    pending.get(url.slice('/reply/'.length))?.(text);
  });

  const echoPools = echoPorts.map((port) => pool(port, fromBus));
  const listenerPools = listenerPorts.map((port) => pool(port, fromBus));
  const clientPool = pool(clientPort, fromBus);
  let nextEcho = 0;
  const anEcho = () => {
    nextEcho = (nextEcho + 1) % echoPools.length;
    return echoPools[nextEcho] as Pool;
  };
  const forward = (target: Pool, path: string, body: string) => {
    // Answered before forwarding, like ExoCom: a failed forward shows up as a missing reply.
    post(target, path, body).catch(() => {});
  };
  busPort = await serve(async (request, response) => {
    const url = request.url ?? '';
    const body = await readText(request);
    response.end();
    if (url.startsWith('/reply/')) forward(clientPool, url, body);
    else if (url === '/event') for (const target of [anEcho(), ...listenerPools]) forward(target, '/run/event', body);
    else forward(anEcho(), `/run${url}`, body);
  });

  const client = pool(busPort, toBus);
  let nextId = 0;
  const expect = (id: string, onReply: Pending) => pending.set(id, onReply);

  return {
    deliveries,
    async send(payload: OrderPlaced) {
      await post(client, '/event', JSON.stringify(payload));
    },
    request(payload: OrderPlaced) {
      const id = String(nextId++);
      return new Promise((resolve, reject) => {
        expect(id, (text) => {
          pending.delete(id);
          resolve(JSON.parse(text));
        });
        post(client, `/request/${id}`, JSON.stringify(payload)).catch(reject);
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
        post(client, `/stream/${id}`, JSON.stringify({ chunks })).catch(reject);
      });
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(pools.map((created) => created.close()));
      await Promise.all(servers.map(closeServer));
    },
  };
}
