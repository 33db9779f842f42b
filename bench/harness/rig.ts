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
 * One messaging system set up for a scenario: ExoRelay over a transport, a hand-rolled
 * baseline, or a peer. Client and services run in this process; they talk over real sockets.
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
}

/** How many chunk replies a replier keeps unsettled at once: the HTTP transport's pool size, so the pipe stays full. */
export const STREAM_WINDOW = 32;

/** Generous per-request timeout: a lost reply fails the round instead of hanging it. */
export const REQUEST_TIMEOUT_MS = 60_000;
