import { ExoRelay, type RelayOptions, type UntypedMessages } from 'exorelay';
import { benchContracts } from '../fixtures/contracts.js';
import { chunk, type OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import { pipelined } from '../harness/load.js';
import { type Placement, REQUEST_TIMEOUT_MS, type Rig, STREAM_WINDOW } from '../harness/rig.js';

/** Whether the relays carry the bench's contracts, and check them. */
export type Validation = 'no contracts' | 'validated' | 'not validated';

export interface ExoRelayRigOptions {
  placement: Placement;
  validation: Validation;
  /** Transport options of one relay (each relay needs its own transport). */
  connect(serviceName: string): Pick<RelayOptions<UntypedMessages>, 'exocomPort' | 'exocomHost' | 'transport'>;
  /** Releases what `connect` needed beyond the relays (the bus). */
  release(): Promise<void>;
  /** Per-message state the bus keeps, if there is a bus in this process. */
  busState?(): Record<string, number>;
}

/**
 * ExoRelay as a user writes it: the client relay, relays of the `echo` service and listener
 * services — those `placement` puts in this process — over the transport `connect` gives.
 */
export async function startExoRelayRig(options: ExoRelayRigOptions): Promise<Rig> {
  const deliveries = new DeliveryCounter();
  const errors: Error[] = [];
  const relays: ExoRelay[] = [];
  const streamChunk = chunk();
  const create = (serviceName: string) => {
    const relay = new ExoRelay({
      serviceName,
      ...options.connect(serviceName),
      ...(options.validation === 'no contracts'
        ? {}
        : { contracts: benchContracts, validate: options.validation === 'validated' }),
    });
    relay.on('error', (error) => errors.push(error));
    relays.push(relay);
    return relay;
  };
  // listen() resolves once the bus routes the relay's handlers to it (over NATS: the subscriptions are flushed).
  const start = (relay: ExoRelay) => relay.listen(0);

  try {
    for (let instance = 0; instance < options.placement.echoInstances; instance += 1) {
      const echo = create('echo');
      echo.registerHandler('bench.echo', async (payload, { reply }) => {
        await reply('bench.echoed', payload);
      });
      echo.registerHandler('bench.event', () => deliveries.add());
      echo.registerHandler('bench.stream', async (payload, { reply }) => {
        const { chunks } = payload as { chunks: number };
        await pipelined(chunks, STREAM_WINDOW, () => reply.progress('bench.chunk', streamChunk));
        await reply('bench.streamed', { chunks });
      });
      echo.registerHandler('bench.stream-awaited', async (payload, { reply }) => {
        const { chunks } = payload as { chunks: number };
        for (let index = 0; index < chunks; index += 1) await reply.progress('bench.chunk', streamChunk);
        await reply('bench.streamed', { chunks });
      });
      await start(echo);
    }
    for (const listener of options.placement.listeners) {
      const relay = create(`listener-${listener}`);
      relay.registerHandler('bench.event', () => deliveries.add());
      await start(relay);
    }
    const client = options.placement.client ? create('bench-client') : undefined;
    if (client !== undefined) await start(client);
    const theClient = () => {
      if (client === undefined) throw new Error('this process runs no client relay');
      return client;
    };
    const stream = async (name: 'bench.stream' | 'bench.stream-awaited', chunks: number) => {
      let bytes = 0;
      for await (const reply of theClient().send(name, { chunks }, { timeout: REQUEST_TIMEOUT_MS })) {
        if (!reply.final) bytes += (reply.payload as string).length;
      }
      return bytes;
    };

    return {
      deliveries,
      async send(payload: OrderPlaced) {
        await theClient().send('bench.event', payload).sent;
      },
      async request(payload: OrderPlaced) {
        const reply = await theClient().request('bench.echo', payload, { timeout: REQUEST_TIMEOUT_MS });
        return reply.payload;
      },
      stream: (chunks: number) => stream('bench.stream', chunks),
      streamAwaited: (chunks: number) => stream('bench.stream-awaited', chunks),
      retainedState() {
        const total = (field: 'pendingReplyStreams' | 'activeHandlers') =>
          relays.reduce((sum, relay) => sum + relay.stats[field], 0);
        return {
          'relay pending reply streams': total('pendingReplyStreams'),
          'relay active handlers': total('activeHandlers'),
          ...options.busState?.(),
        };
      },
      assertHealthy() {
        if (errors.length > 0) throw errors[0];
      },
      async [Symbol.asyncDispose]() {
        await Promise.all(relays.map((relay) => relay.close()));
        await options.release();
      },
    };
  } catch (error) {
    await Promise.allSettled(relays.map((relay) => relay.close()));
    await options.release();
    throw error;
  }
}
