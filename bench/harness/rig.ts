import type { OrderPlaced } from '../fixtures/payloads.js';
import type { DeliveryCounter } from './delivery-counter.js';

/**
 * Which services a rig starts. Every rig has one `echo` service (answers requests, streams
 * chunks, receives events); `receivers - 1` more services only receive events.
 */
export interface Topology {
  /** Instances of the echo service, sharing its load. */
  instances: number;
  /** Services that each get every event (fan-out), the echo service included. */
  receivers: number;
}

export const singleService: Topology = { instances: 1, receivers: 1 };

/**
 * Which parts of a topology one process runs: all of them (one-process mode), or one role of
 * the multi-process mode — the client, one echo instance, or one listener service.
 */
export interface Placement {
  client: boolean;
  /** Instances of the echo service this process runs. */
  echoInstances: number;
  /** Listener services (numbered from 1) this process runs. */
  listeners: readonly number[];
}

/** Everything of `topology` in one process. */
export function wholeTopology(topology: Topology): Placement {
  return {
    client: true,
    echoInstances: topology.instances,
    listeners: Array.from({ length: topology.receivers - 1 }, (_, index) => index + 1),
  };
}

/** How the processes of one rig find each other. In one-process mode only `topology` matters. */
export interface Wiring {
  topology: Topology;
  /** The run's nats-server. */
  natsUrl: string;
  /** Subject prefix or namespace shared by this rig's processes, apart from every other rig's. */
  namespace: string;
  /** The bus process's port (ExoCom, the minimal bus), when the bus runs in a process of its own. */
  busPort?: number;
  /** Ports the service processes listen on (the 1-hop floor's client needs its server's). */
  servicePorts?: readonly number[];
}

/**
 * One messaging system set up for a scenario: ExoRelay over a transport, a hand-rolled
 * baseline, or a peer. Client and services run in this process, or — placed by a `Placement` —
 * only some of them; they talk over real sockets.
 */
export interface Rig extends AsyncDisposable {
  /** Hands one event to the system; resolves once the system took it (not once it was delivered). */
  send(payload: OrderPlaced): Promise<void>;
  /** Counts events as receiving services get them. */
  readonly deliveries: DeliveryCounter;
  /** Sends one request to the echo service; resolves with the payload of its reply. */
  request(payload: OrderPlaced): Promise<unknown>;
  /** Asks the echo service for `chunks` chunk replies; resolves with the chunk bytes received, once all arrived. */
  stream?(chunks: number): Promise<number>;
  /** Counts of per-message state the system keeps (pending streams, reply routes …): 0 once all is answered. */
  retainedState?(): Record<string, number>;
  /** Throws what went wrong out of any caller's sight (an `error` event), so the round fails instead of lying. */
  assertHealthy?(): void;
  /** Streams like `stream`, but the replier awaits every chunk reply before the next (ExoRelay only). */
  streamAwaited?(chunks: number): Promise<number>;
  /** Ends a window of sends for systems whose `send` does not wait for the server (the raw publish floor). */
  flush?(): Promise<void>;
  /** Ports this process's services or client listen on, for a bus in another process. */
  readonly ports?: readonly number[];
}

/** How many chunk replies a replier keeps unsettled at once: the HTTP transport's pool size, so the pipe stays full. */
export const STREAM_WINDOW = 32;

/** Generous per-request timeout: a lost reply fails the round instead of hanging it. */
export const REQUEST_TIMEOUT_MS = 60_000;
