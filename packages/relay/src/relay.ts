import { EventEmitter } from 'node:events';
import { debug } from './debug.js';
import { ConfigError, RelayClosedError } from './errors.js';
import type { MessageHandler } from './handler-context.js';
import { HandlerPool } from './handler-pool.js';
import { HandlerRegistry } from './handler-registry.js';
import { InboundDispatcher } from './inbound-dispatcher.js';
import type {
  FinalReplyOf,
  MessageArguments,
  MessageMap,
  MessageName,
  PayloadInputOf,
  Reply,
  ReplyOf,
  RequestableName,
  UntypedMessages,
} from './message-types.js';
import { MessageValidator } from './message-validator.js';
import { Outbox } from './outbox.js';
import { PendingReplies } from './pending-replies.js';
import { RecentDeliveries } from './recent-deliveries.js';
import { type RelayOptions, resolveRelayOptions } from './relay-options.js';
import { ReplySender } from './reply-sender.js';
import type { ReplyStream, ReplyStreamController } from './reply-stream.js';
import type { ReplyCallback, SendOptions } from './send-arguments.js';
import { loadTracing } from './tracing.js';
import type { Transport, TransportStatus } from './transport.js';

/** The events an `ExoRelay` emits. */
export interface RelayEvents {
  /** The relay listens; the argument is the bound port (undefined for transports without one). */
  online: [port: number | undefined];
  /** The relay was closed. */
  offline: [];
  /**
   * Something failed that no caller could be told about directly: a handler threw, a
   * fire-and-forget send nobody reads failed, a registration failed. Failures a caller receives
   * (a rejected `request()`, a stream that throws, a rejected `sent`) are not emitted again.
   */
  error: [error: Error];
  /** The transport's connection state changed (online, reconnecting, offline). */
  status: [status: TransportStatus];
}

/** Options of `request()`: how long to wait, a signal to cancel, and a callback for progress replies. */
export interface RequestOptions<R extends Reply = Reply> {
  /**
   * Fail with a `TimeoutError` after this many ms without a final reply; `Infinity` waits for
   * ever. `undefined` means the default.
   * @default the relay's defaultTimeout (30 s)
   */
  timeout?: number;
  /** Fail with an `AbortedError` when this signal aborts. */
  signal?: AbortSignal;
  /** Called with each progress reply that comes before the final one. */
  onProgress?: (reply: R) => void;
}

/** Options of `listen()`. */
export interface ListenOptions {
  /** Stop waiting for the bus: `listen()` rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Counts of the relay's internal state, for leak checks and monitoring. */
export interface RelayStats {
  /** Sent messages whose reply streams are still open. */
  pendingReplyStreams: number;
  /** Handlers running now. */
  activeHandlers: number;
}

/**
 * `stopping`: the transport stops receiving; messages already on their way are still handled.
 * `draining`: running handlers finish; late messages the bus had sent before it stopped routing
 * here are still handled, sending still works.
 * `closing`: sends on their way go out, then the transport closes; messages are refused.
 */
type State = 'idle' | 'listening' | 'stopping' | 'draining' | 'closing' | 'closed';

/** How long, and how many, handled messages are remembered to answer a repeat without running it. */
const RECENT_DELIVERIES = { max: 50_000, ttl: 5 * 60_000 };

/**
 * Connects a service to the Exosphere message bus.
 *
 * @example
 * const relay = new ExoRelay({ serviceName: 'users', exocomPort: 3100 })
 * relay.registerHandler('users.create', async (user, { reply }) => {
 *   await reply('users.created', await db.insert(user))
 * })
 * await relay.listen(4000)
 * const created = await relay.request('users.create', { name: 'Jean-Luc' })
 */
export class ExoRelay<M extends MessageMap = UntypedMessages> extends EventEmitter<RelayEvents> {
  readonly serviceName: string;
  readonly #transport: Transport;
  readonly #defaultTimeout: number;
  readonly #drainTimeout: number;
  readonly #handlers = new HandlerRegistry();
  readonly #pending: PendingReplies;
  readonly #pool: HandlerPool;
  readonly #outbox: Outbox;
  readonly #replies: ReplySender;
  #state: State = 'idle';
  #port: number | undefined;
  #closing: Promise<void> | undefined;
  /** The latest change of handled names on its way to the bus. */
  #routing: Promise<void> = Promise.resolve();

  constructor(options: RelayOptions<M>) {
    super();
    const resolved = resolveRelayOptions(options);
    this.serviceName = resolved.serviceName;
    this.#transport = resolved.transport;
    void loadTracing();
    this.#defaultTimeout = resolved.defaultTimeout;
    this.#drainTimeout = resolved.drainTimeout;
    this.#pending = new PendingReplies(resolved.maxBufferedReplies);
    this.#pool = new HandlerPool(resolved.maxConcurrentHandlers, (saturated) =>
      this.#transport.saturationChanged?.(saturated),
    );
    const reportError = (error: Error) => this.#emitError(error);
    const validator = new MessageValidator(resolved.contracts, resolved.validate);
    const transport = this.#transport;
    this.#outbox = new Outbox({
      serviceName: this.serviceName,
      transport,
      pending: this.#pending,
      validator,
      reportError,
    });
    this.#replies = new ReplySender({ serviceName: this.serviceName, transport, validator, reportError });
    const dispatcher = new InboundDispatcher({
      handlers: this.#handlers,
      pool: this.#pool,
      pending: this.#pending,
      recent: transport.deliversOnce === true ? undefined : new RecentDeliveries(RECENT_DELIVERIES),
      validator,
      replies: this.#replies,
      answersRefusals: transport.answersRefusals,
      accepting: () => this.#state !== 'closing' && this.#state !== 'closed',
      // Bound once: every handler's context shares them.
      handlerTools: { send: this.send.bind(this), request: this.request.bind(this) },
      reportError,
    });
    transport.attach({
      serviceName: this.serviceName,
      deliver: (message) => dispatcher.deliver(message),
      capacity: (signal) => this.#pool.capacity(signal),
      handledNames: () => this.#handlers.names(),
      reportStatus: (status) => this.emit('status', status),
      reportError,
      repliesLost: (error) => this.#pending.failAll(error),
      noResponders: (requestId) => this.#pending.get(requestId)?.markSent({ receivers: 0 }),
    });
  }

  /** The port the relay listens on, once `listen()` resolved. */
  get port(): number | undefined {
    return this.#port;
  }

  get stats(): RelayStats {
    return { pendingReplyStreams: this.#pending.size, activeHandlers: this.#pool.active };
  }

  /**
   * Starts receiving messages, and resolves once the bus routes them here (over HTTP: binds
   * `port` — 0 or none = an ephemeral one — and registers). While the bus cannot be reached it
   * keeps trying and emits `status` events that name the bus; `options.signal` gives up.
   * Resolves with the bound port and emits `online`.
   */
  async listen(port?: number | string, options: ListenOptions = {}): Promise<number | undefined> {
    try {
      if (this.#state !== 'idle' && this.#state !== 'listening')
        throw new RelayClosedError('a closed relay cannot listen again');
      if (this.#state === 'listening') throw new ConfigError(`ExoRelay is already listening on port ${this.#port}`);
      await loadTracing();
      const info = await this.#transport.listen({ port: parsePort(port), signal: options.signal });
      this.#state = 'listening';
      this.#port = info.port;
      debug('%s listening at %s', this.serviceName, info.address);
      this.emit('online', info.port);
      return info.port;
    } catch (error) {
      this.#emitError(error as Error);
      throw error;
    }
  }

  /**
   * Closes in two phases, so that a rolling restart fails no request: the bus stops routing
   * here (messages already on their way are still handled), running handlers finish (up to
   * `drainTimeout`, then their `signal` aborts), sends already made go out; then the port and
   * connections are freed, every open reply stream ends with a `RelayClosedError`, and
   * `offline` is emitted.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Registers the function that serves message `name`. Invalid registrations emit `error`. */
  registerHandler<N extends keyof M & string>(name: N, handler: MessageHandler<M, N, this>): void {
    const problem = this.#handlers.register(name, handler);
    if (problem !== undefined) {
      this.#emitError(problem);
      return;
    }
    this.#announceHandledNames();
  }

  /** Registers several handlers at once: `{ 'users.create': handler, … }`. */
  registerHandlers(handlers: { [N in MessageName<M>]?: MessageHandler<M, N, this> }): void {
    for (const [name, handler] of Object.entries(handlers)) {
      this.registerHandler(name as MessageName<M>, handler as MessageHandler<M, MessageName<M>, this>);
    }
  }

  /**
   * Stops serving message `name`: the transport stops receiving it (announces the change to the
   * bus, or unsubscribes). Returns whether a handler was registered.
   */
  unregisterHandler(name: string): boolean {
    const removed = this.#handlers.unregister(name);
    if (removed) this.#announceHandledNames();
    return removed;
  }

  /**
   * Resolves once the bus routes the handlers registered so far to this relay, and no longer
   * the unregistered ones (over HTTP and SSE the bus took the registration; over NATS the
   * subscriptions are flushed). `listen()` does this by itself; use it after a
   * `registerHandler()` or `unregisterHandler()` on a listening relay.
   *
   * @example
   * relay.registerHandler('users.list', list)
   * await relay.routed()
   */
  routed(): Promise<void> {
    return this.#routing;
  }

  /** Whether a handler serves message `name`. */
  hasHandler(name: string): boolean {
    return this.#handlers.has(name);
  }

  /**
   * Sends a message, fire-and-forget: it goes out whether or not anyone reads the result.
   * Returns the stream of its replies. Read it in the tick you sent the message (start a
   * `for await`, or pass `onReply`/a callback), or pass `keepReplies: true`: a stream that
   * nobody claims in that tick keeps no state.
   *
   * @example
   * for await (const reply of relay.send('file.read', { path })) process.stdout.write(reply.payload)
   */
  send<N extends keyof M & string>(
    name: N,
    ...args: MessageArguments<M, N, SendOptions<ReplyOf<M, N>> | ReplyCallback<ReplyOf<M, N>>>
  ): ReplyStream<ReplyOf<M, N>>;
  send<N extends keyof M & string>(
    name: N,
    payload: PayloadInputOf<M, N>,
    options?: SendOptions<ReplyOf<M, N>> | ReplyCallback<ReplyOf<M, N>>,
  ): ReplyStream<ReplyOf<M, N>> {
    return this.#send(name, payload, options).stream as ReplyStream<ReplyOf<M, N>>;
  }

  /**
   * Sends a message and resolves with its first final reply. Rejects with a `TimeoutError`,
   * an `AbortedError`, a `RemoteError` (the receiver failed), a `NoRespondersError`, a
   * `RepliesLostError` (the bus died or restarted), or a `RelayClosedError`.
   */
  request<N extends RequestableName<M>>(
    name: N,
    ...args: MessageArguments<M, N, RequestOptions<ReplyOf<M, N>>>
  ): Promise<FinalReplyOf<M, N>>;
  request<N extends RequestableName<M>>(
    name: N,
    payload: PayloadInputOf<M, N>,
    options: RequestOptions<ReplyOf<M, N>> = {},
  ): Promise<FinalReplyOf<M, N>> {
    try {
      const { onProgress, timeout, signal } = options;
      // Claimed from the start (read at once): it goes out without waiting for the end of the tick.
      const controller = this.#send(name, payload, {
        timeout: timeout ?? this.#defaultTimeout,
        signal,
        keepReplies: true,
      });
      return controller.finalReply(onProgress as ((reply: Reply) => void) | undefined) as Promise<FinalReplyOf<M, N>>;
    } catch (error) {
      // Bad options reject, as from any other async API.
      return Promise.reject(error);
    }
  }

  #send(name: string, payload: unknown, options: unknown): ReplyStreamController {
    return this.#sendsAllowed()
      ? this.#outbox.send(name, payload, options)
      : this.#outbox.refuse(String(name), new RelayClosedError());
  }

  async #close(): Promise<void> {
    this.#state = 'stopping';
    try {
      await this.#transport.stopReceiving();
    } catch (error) {
      debug('close: stopping to receive failed: %s', (error as Error).message);
    }
    this.#state = 'draining';
    await this.#pool.drain(this.#drainTimeout);
    this.#state = 'closing';
    await Promise.all([this.#outbox.settled(), this.#replies.settled()]);
    try {
      await this.#transport.close();
    } finally {
      this.#pending.failAll(new RelayClosedError('the relay was closed before the reply stream ended'));
      this.#state = 'closed';
      this.#port = undefined;
      this.emit('offline');
    }
  }

  #announceHandledNames(): void {
    if (this.#state !== 'listening') return;
    this.#routing = this.#transport.handledNamesChanged();
  }

  #sendsAllowed(): boolean {
    return this.#state !== 'closing' && this.#state !== 'closed';
  }

  #emitError(error: Error): void {
    // An EventEmitter throws an 'error' nobody listens to; from async code that would crash
    // the process, so without a listener the error becomes a process warning instead.
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else process.emitWarning(error);
  }
}

function parsePort(port: number | string | undefined): number | undefined {
  if (port === undefined) return undefined;
  const value = typeof port === 'string' && port.trim() !== '' ? Number(port) : port;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new ConfigError('Non-numerical port provided to ExoRelay#listen');
  }
  return value;
}
