import type { NamedEnvelope } from '@exorelay/protocol';

/**
 * What the relay decided about a message a transport handed it. The HTTP transport turns it
 * into a status code (200, 400, 404, 422, 503); other transports log or nack.
 */
export type Delivery =
  /**
   * Understood. For a message given to a handler, `handled` settles when the handler is done,
   * so a transport with acknowledgements (JetStream) can ack only then.
   */
  | { kind: 'accepted'; handled?: Promise<HandlerResult> }
  /** The body is not a valid envelope (HTTP 400). */
  | { kind: 'invalid'; error: string }
  /** No handler for that name (HTTP 404). */
  | { kind: 'unknown-message'; error: string }
  /** The message breaks its contract (HTTP 422). */
  | { kind: 'rejected'; error: string }
  /** The relay is closing and takes no new work (HTTP 503). */
  | { kind: 'unavailable'; error: string };

/** How a handler finished: `failed` means it threw, and the sender got an `exo.error` reply. */
export type HandlerResult = 'succeeded' | 'failed';

/** Connection state a transport reports, after the nats.js `Status` union. */
export type TransportStatus =
  | { type: 'online'; address: string }
  | { type: 'reconnecting'; attempt: number; error?: Error }
  | { type: 'offline'; error?: Error };

/** What the bus said when it took a message. */
export interface SendReceipt {
  /** How many service instances will get the message; `undefined` when the bus does not say. */
  receivers?: number;
}

/** Where a transport listens once started. */
export interface ListenInfo {
  /** The bound TCP port, for transports that accept connections (HTTP). */
  port?: number;
  /** A human-readable address: `http://127.0.0.1:4001`, `nats://127.0.0.1:4222` … */
  address: string;
}

/** The relay's side of the contract, given to a transport once, before anything else. */
export interface TransportContext {
  readonly serviceName: string;
  /** Hands an arrived message to the relay and returns its verdict. Never rejects. */
  deliver(message: NamedEnvelope): Promise<Delivery>;
  /** The message names this relay handles now (the transport subscribes to or announces them). */
  handledNames(): readonly string[];
  /** Reports a connection state change; the relay re-emits it as a `status` event. */
  reportStatus(status: TransportStatus): void;
  /** Reports a failure that belongs to no caller (a lost subscription…); the relay emits it as `error`. */
  reportError(error: Error): void;
}

/**
 * A transport moves envelopes between a relay and the bus, and nothing more: outcomes, reply
 * streams, timeouts and validation live in the relay, so every transport behaves the same.
 *
 * @example
 * const relay = new ExoRelay({ serviceName: 'users', transport: httpTransport({ exocomPort: 3100 }) })
 */
export interface Transport {
  /** `'http'`, `'nats'`, `'sse'` … for logs and errors. */
  readonly kind: string;
  /** Called once by the relay's constructor. */
  attach(context: TransportContext): void;
  /** Starts receiving messages for `context.handledNames()`. `port` is the caller's wish, if any. */
  listen(options: { port?: number }): Promise<ListenInfo>;
  /** Hands one message to the bus; resolves when the bus has taken it. */
  send(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt>;
  /** The set of handled names changed while listening: subscribe or announce anew. */
  handledNamesChanged(): void;
  /** Stops receiving, then releases connections. Safe to call more than once. */
  close(): Promise<void>;
}
