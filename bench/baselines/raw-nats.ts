/**
 * NATS floor: the raw `nats` client against the same nats-server, one connection per service
 * instance and one for the client, subjects of its own. Services subscribe with a queue group
 * per service, as `@exorelay/nats` does, so instances share the load and every service gets events.
 *
 * - Event: `publish()` alone, the fastest correct use of the client: it buffers and writes on
 *   its own; one `flush()` at the end of the window (`flush`) proves the server took them all.
 * - Request, `request()` flavour: the client's `request()` (a mux inbox, a timer per request).
 * - Request, correlated flavour, the true floor: `publish()` with a reply subject
 *   `<inbox>.<id>`, one wildcard subscription on `<inbox>.*`, a map of pending ids.
 * - Stream: a correlated request; the service publishes `chunks` replies to its reply subject,
 *   each JSON-encoded as it goes out.
 *
 * Payloads are JSON-encoded by the sender and decoded by the receiver, as a user's code would.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Msg, type NatsConnection } from 'nats';
import { chunk, type OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import { type Placement, REQUEST_TIMEOUT_MS, type Rig, type Topology, wholeTopology } from '../harness/rig.js';

export type RawRequestFlavour = 'request()' | 'correlated';

export interface RawNatsOptions {
  /** Subject prefix shared by the rig's processes; a fresh one by default. */
  prefix?: string;
  /** Which parts run here; the whole topology by default. */
  placement?: Placement;
}

export async function startRawNats(
  natsUrl: string,
  topology: Topology,
  flavour: RawRequestFlavour,
  options: RawNatsOptions = {},
): Promise<Rig> {
  const placement = options.placement ?? wholeTopology(topology);
  const prefix = options.prefix ?? `raw${randomBytes(4).toString('hex')}`;
  const subject = (name: string) => `${prefix}.${name}`;
  const deliveries = new DeliveryCounter();
  const connections: NatsConnection[] = [];
  const open = async () => {
    const connection = await connect({ servers: natsUrl });
    connections.push(connection);
    return connection;
  };

  const streamChunk = chunk();
  for (let instance = 0; instance < placement.echoInstances; instance += 1) {
    const service = await open();
    service.subscribe(subject('event'), { queue: 'echo', callback: (_error, msg) => countEvent(msg) });
    service.subscribe(subject('echo'), {
      queue: 'echo',
      callback: (_error, msg) => msg.respond(JSON.stringify(msg.json())),
    });
    service.subscribe(subject('stream'), {
      queue: 'echo',
      callback: (_error, msg) => {
        const { chunks } = msg.json<{ chunks: number }>();
        // Each chunk serialised as it goes out, as a service streaming distinct chunks must.
        for (let index = 0; index < chunks; index += 1) service.publish(msg.reply ?? '', JSON.stringify(streamChunk));
      },
    });
    await service.flush();
  }
  for (const listener of placement.listeners) {
    const service = await open();
    service.subscribe(subject('event'), { queue: `listener-${listener}`, callback: (_error, msg) => countEvent(msg) });
    await service.flush();
  }
  function countEvent(msg: Msg) {
    msg.json();
    deliveries.add();
  }

  const client = placement.client ? await open() : undefined;
  const inbox = `${prefix}.inbox`;
  const pending = new Map<string, (msg: Msg) => void>();
  client?.subscribe(`${inbox}.*`, {
    callback: (_error, msg) => pending.get(msg.subject.slice(inbox.length + 1))?.(msg),
  });
  await client?.flush();
  const theClient = () => {
    if (client === undefined) throw new Error('this process runs no client');
    return client;
  };
  let nextId = 0;
  const correlated = (name: string, data: string, onReply: (msg: Msg) => boolean) => {
    const id = String(nextId++);
    pending.set(id, (msg) => {
      if (onReply(msg)) pending.delete(id);
    });
    theClient().publish(subject(name), data, { reply: `${inbox}.${id}` });
  };

  return {
    deliveries,
    async send(payload: OrderPlaced) {
      theClient().publish(subject('event'), JSON.stringify(payload));
    },
    async flush() {
      await theClient().flush();
    },
    async request(payload: OrderPlaced) {
      const data = JSON.stringify(payload);
      if (flavour === 'request()')
        return (await theClient().request(subject('echo'), data, { timeout: REQUEST_TIMEOUT_MS })).json();
      return new Promise((resolve) =>
        correlated('echo', data, (msg) => {
          resolve(msg.json());
          return true;
        }),
      );
    },
    stream(chunks: number) {
      let received = 0;
      let bytes = 0;
      return new Promise<number>((resolve) =>
        correlated('stream', JSON.stringify({ chunks }), (msg) => {
          received += 1;
          bytes += msg.json<string>().length;
          if (received < chunks) return false;
          resolve(bytes);
          return true;
        }),
      );
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
}
