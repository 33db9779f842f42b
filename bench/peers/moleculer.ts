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
import type { Rig, Topology } from '../harness/rig.js';

const { ServiceBroker } = moleculer;

export async function startMoleculer(natsUrl: string, topology: Topology): Promise<Rig> {
  // A namespace of its own keeps this rig's brokers apart from any other on the same server.
  const namespace = `bench${randomBytes(4).toString('hex')}`;
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

  for (let instance = 0; instance < topology.instances; instance += 1) {
    broker(`echo-${instance}`).createService({
      name: 'echo',
      actions: { echo: (context: moleculer.Context<OrderPlaced>) => context.params },
      events: onEvent,
    });
  }
  const listeners: string[] = [];
  for (let listener = 1; listener < topology.receivers; listener += 1) {
    listeners.push(`listener-${listener}`);
    broker(`listener-${listener}`).createService({ name: `listener-${listener}`, events: onEvent });
  }
  const client = broker('bench-client');
  try {
    await Promise.all(brokers.map((created) => created.start()));
    await client.waitForServices(['echo', ...listeners], 10_000);
  } catch (error) {
    await Promise.allSettled(brokers.map((created) => created.stop()));
    throw error;
  }

  return {
    deliveries,
    async send(payload: OrderPlaced) {
      await client.emit('bench.event', payload);
    },
    request(payload: OrderPlaced) {
      return client.call('echo.echo', payload);
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(brokers.map((created) => created.stop()));
    },
  };
}
