import type { NamedEnvelope } from '@exorelay/protocol';

/**
 * What the relay decided about a message a transport handed it. The HTTP transport turns it
 * into a status code (200, 400, 404, 422, 503); other transports log, nack or pause.
 */
export type Delivery =
  /**
   * Understood. For a message given to a handler, `handled` settles when the handler is done,
   * so a transport with acknowledgements (JetStream) can ack only then. A duplicate of a
   * message handled recently is accepted without `handled`: its handler does not run again.
   */
  | { kind: 'accepted'; handled?: Promise<HandlerResult> }
  /** The body is not a valid envelope (HTTP 400). */
  | { kind: 'invalid'; error: string }
  /** No handler for that name (HTTP 404). */
  | { kind: 'unknown-message'; error: string }
  /** The message breaks its contract (HTTP 422). */
  | { kind: 'rejected'; error: string }
  /** The relay is closing and takes no new work (HTTP 503): give it to another instance. */
  | { kind: 'unavailable'; error: string }
  /**
   * `maxConcurrentHandlers` handlers run already (HTTP 503 with `retry-after`): give the message
   * to another instance, or hand it again once `TransportContext.capacity()` resolves.
   */
  | { kind: 'busy'; error: string; retryAfterMs: number };

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
  /**
   * Hands an arrived message to the relay and returns its verdict. Never rejects. The relay
   * answers refusals itself when the transport's `answersRefusals` is false. Build the message
   * with `new NamedEnvelope(name, envelope)`: the relay holds it while the handler runs, and
   * its class comment says why a literal would keep finished messages alive.
   */
  deliver(message: NamedEnvelope): Promise<Delivery>;
  /**
   * Resolves once the relay runs fewer than `maxConcurrentHandlers` handlers, so a transport
   * that got `busy` and cannot refuse per message (an event stream, a NATS subscription) hands
   * the message again then. Rejects when `signal` aborts.
   */
  capacity(signal?: AbortSignal): Promise<void>;
  /** The message names this relay handles now (the transport subscribes to or announces them). */
  handledNames(): readonly string[];
  /** Reports a connection state change; the relay re-emits it as a `status` event. */
  reportStatus(status: TransportStatus): void;
  /** Reports a failure that belongs to no caller (a lost subscription…); the relay emits it as `error`. */
  reportError(error: Error): void;
  /**
   * Replies to messages sent before now can no longer arrive: the bus that routes them back
   * died or restarted and forgot their routes. The relay ends every open reply stream with
   * `error` at once instead of letting it wait for its timeout.
   */
  repliesLost(error: Error): void;
  /**
   * Message `requestId` reached no receiver, which the transport learned after its `send`
   * resolved (NATS answers a request nobody subscribes to with a no-responders status): its
   * reply stream fails with a `NoRespondersError`, as with `receivers: 0` on the receipt.
   */
  noResponders(requestId: string): void;
}

/**
 * A transport moves envelopes between a relay and the bus, and nothing more: outcomes, reply
 * streams, `seq`, `oneWay`, timeouts, validation, de-duplication and the `exo.error` replies that
 * refused deliveries turn into live in the relay, so every transport behaves the same.
 *
 * Lifecycle: `listen()` resolves once the bus can route to this relay; `close()` runs
 * `stopReceiving()` (the bus stops routing here; messages already on their way still arrive and
 * are handled), the relay drains its handlers and lets queued sends go out, then `close()`
 * releases the connections.
 *
 * @example
 * const relay = new ExoRelay({ serviceName: 'users', transport: httpTransport({ exocomPort: 3100 }) })
 */
export interface Transport {
  /** `'http'`, `'nats'`, `'sse'` … for logs and errors. */
  readonly kind: string;
  /**
   * Whether the peer turns a refused delivery into the sender's `exo.error` reply itself: over
   * HTTP the bus does, from the status code. When false, the relay sends `DELIVERY_FAILED` to
   * the sender for a message it cannot take (unknown name, closing).
   */
  readonly answersRefusals: boolean;
  /**
   * `true` when this transport never hands the relay the same message twice (core NATS: a
   * message is delivered once or dropped, never retried). The relay then keeps no memory of
   * recent deliveries. Leave it unset when a message may come again — a retried POST, a
   * replayed event stream, a redelivery — and the relay answers a repeat without running its
   * handler twice.
   * @default false
   */
  readonly deliversOnce?: boolean;
  /** Called once by the relay's constructor. */
  attach(context: TransportContext): void;
  /**
   * Starts receiving messages for `context.handledNames()` and resolves once the bus (or NATS)
   * routes them here. While the bus cannot be reached it keeps trying and reports `reconnecting`
   * with the reason; `signal` gives up. `port` is the caller's wish, if any.
   */
  listen(options: { port?: number; signal?: AbortSignal }): Promise<ListenInfo>;
  /** Hands one message to the bus; resolves when the bus (or a connected NATS server) has taken it. */
  send(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt>;
  /**
   * The set of handled names changed while listening: subscribe or announce anew. Resolves
   * once the bus (or NATS) routes the names handled now; never rejects — a failure is reported
   * with `reportError` and the next announcement repeats it.
   */
  handledNamesChanged(): Promise<void>;
  /**
   * The relay runs `maxConcurrentHandlers` handlers (`true`) or has room again (`false`). A
   * transport that can stop taking work does so (leave the NATS queue groups) while saturated.
   */
  saturationChanged?(saturated: boolean): void;
  /**
   * First phase of closing: the bus (or NATS) stops routing new messages here — deregister,
   * unsubscribe. Resolves once it will route none; messages already on their way may still
   * arrive and are delivered as usual. Sending keeps working. Safe to call more than once.
   */
  stopReceiving(): Promise<void>;
  /** Second phase: stops receiving if not done yet, then releases every connection. Safe to call more than once. */
  close(): Promise<void>;
}
