/**
 * Peer: Moleculer 0.14 (0.15 needs Node 22) with its NATS transporter (the `nats` 2 client),
 * through the run's nats-server. One broker per service instance and one for the client, all in
 * this process, as our own rigs are. Requests are `broker.call('echo.echo')`, events are balanced
 * `broker.emit('bench.event')` (one instance of every subscribed service, like ours). Defaults
 * otherwise: JSON serializer, built-in balancer, no metrics or tracing; logging is off.
 */
import { randomBytes } from 'node:crypto';
import moleculer from 'moleculer';
import type { OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import { type Placement, type Rig, type Topology, wholeTopology } from '../harness/rig.js';

const { ServiceBroker } = moleculer;

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
