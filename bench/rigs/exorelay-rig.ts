import { ExoRelay, type RelayOptions, type UntypedMessages } from 'exorelay';
import { benchContracts } from '../fixtures/contracts.js';
import { chunk, type OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import { pipelined } from '../harness/load.js';
import { REQUEST_TIMEOUT_MS, type Rig, STREAM_WINDOW, type Topology } from '../harness/rig.js';

/** Whether the relays carry the bench's contracts, and check them. */
export type Validation = 'no contracts' | 'validated' | 'not validated';

export interface ExoRelayRigOptions {
  topology: Topology;
  validation: Validation;
  /** Transport options of one relay (each relay needs its own transport). */
  connect(serviceName: string): Pick<RelayOptions<UntypedMessages>, 'exocomPort' | 'exocomHost' | 'transport'>;
  /** Resolves once the bus routes `names` to this listening relay. */
  routed(relay: ExoRelay, names: string[]): Promise<void>;
  /** Releases what `connect` needed beyond the relays (the bus). */
  release(): Promise<void>;
  /** Per-message state the bus keeps, if there is a bus in this process. */
  busState?(): Record<string, number>;
}

const echoNames = ['bench.echo', 'bench.event', 'bench.stream'];

/**
 * ExoRelay as a user writes it: one client relay, `instances` relays of the `echo` service and
 * `receivers - 1` listener services, all in this process, over the transport `connect` gives.
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
  const start = async (relay: ExoRelay, names: string[]) => {
    await relay.listen(0);
    await options.routed(relay, names);
  };

  try {
    for (let instance = 0; instance < options.topology.instances; instance += 1) {
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
      await start(echo, echoNames);
    }
    for (let listener = 1; listener < options.topology.receivers; listener += 1) {
      const relay = create(`listener-${listener}`);
      relay.registerHandler('bench.event', () => deliveries.add());
      await start(relay, ['bench.event']);
    }
    const client = create('bench-client');
    await start(client, []);

    return {
      deliveries,
      async send(payload: OrderPlaced) {
        await client.send('bench.event', payload).sent;
      },
      async request(payload: OrderPlaced) {
        const reply = await client.request('bench.echo', payload, { timeout: REQUEST_TIMEOUT_MS });
        return reply.payload;
      },
      async stream(chunks: number) {
        let bytes = 0;
        for await (const reply of client.send('bench.stream', { chunks }, { timeout: REQUEST_TIMEOUT_MS })) {
          if (!reply.final) bytes += (reply.payload as string).length;
        }
        return bytes;
      },
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
