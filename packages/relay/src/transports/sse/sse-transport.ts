import { randomUUID } from 'node:crypto';
import {
  type Envelope,
  ERROR_OUTCOME,
  type EventStreamDeregistration,
  type EventStreamRegistration,
  isReply,
  type NamedEnvelope,
  WireErrorCode,
} from '@exorelay/protocol';
import { debug } from '../../debug.js';
import { ConfigError } from '../../errors.js';
import type { Delivery, ListenInfo, SendReceipt, Transport, TransportContext } from '../../transport.js';
import { ExoComClient } from '../http/exocom-client.js';
import { EventStream } from './event-stream.js';

export interface SseTransportOptions {
  /** Port of the ExoCom bus. */
  exocomPort: number;
  /**
   * Host of the ExoCom bus.
   * @default 'localhost'
   */
  exocomHost?: string;
  /**
   * Most keep-alive connections to the bus for sending (the event stream has its own).
   * @default 32
   */
  connections?: number;
  /**
   * Extra attempts when the bus cannot be reached, for a message and for opening the stream in
   * `listen()`, with backoff `retryDelay`, ×2, ×4 … (for the stream: `reconnectDelay`).
   * @default 3
   */
  retries?: number;
  /** @default 50 */
  retryDelay?: number;
  /**
   * How long to wait for the bus to answer one message, or to answer `GET /events`, in ms.
   * @default 30000
   */
  requestTimeout?: number;
  /**
   * Reconnect when nothing (no event, no heartbeat) arrived for this long, in ms. Keep it above
   * twice the bus's `eventStreams.heartbeatInterval` (15 s by default).
   * @default 35000
   */
  heartbeatTimeout?: number;
  /**
   * First wait before reconnecting a lost stream, in ms; doubles (with jitter) up to
   * `maxReconnectDelay`. Reconnecting within the bus's `eventStreams.retention` loses nothing.
   * @default 100
   */
  reconnectDelay?: number;
  /** @default 5000 */
  maxReconnectDelay?: number;
}

type ResolvedOptions = Required<SseTransportOptions>;

/**
 * Receives over Server-Sent Events instead of listening on a port: for services behind NAT, in
 * serverless runtimes or containers without an inbound port. `listen()` opens `GET /events` on
 * ExoCom, which then writes this relay's messages to that stream; sending still POSTs
 * `/send/NAME`. A lost stream is reopened with backoff and `Last-Event-ID`, and the bus replays
 * what was missed.
 *
 * @example
 * new ExoRelay({ serviceName: 'reports', transport: sseTransport({ exocomPort: 3100 }) })
 * // or: new ExoRelay({ serviceName: 'reports', exocomPort: 3100, delivery: 'sse' })
 */
export function sseTransport(options: SseTransportOptions): Transport {
  return new SseTransport(resolveOptions(options));
}

class SseTransport implements Transport {
  readonly kind = 'sse';
  readonly #options: ResolvedOptions;
  readonly #client: ExoComClient;
  readonly #address: string;
  /** `exo.error` replies on their way, so that close() lets them go out first. */
  readonly #replies = new Set<Promise<void>>();
  #context: TransportContext | undefined;
  #stream: EventStream | undefined;
  /** The names the bus was last told, in the stream's query or with `POST /register`. */
  #announced: readonly string[] = [];
  #announcing: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#address = `http://${options.exocomHost}:${options.exocomPort}/events`;
    this.#client = new ExoComClient({
      host: options.exocomHost,
      port: options.exocomPort,
      connections: options.connections,
      retries: options.retries,
      retryDelay: options.retryDelay,
      requestTimeout: options.requestTimeout,
    });
  }

  attach(context: TransportContext): void {
    this.#context = context;
  }

  async listen({ port }: { port?: number }): Promise<ListenInfo> {
    const context = this.#requireContext();
    if (port !== undefined && port !== 0)
      debug('%s: SSE delivery binds no port; ignoring %d', context.serviceName, port);
    const options = this.#options;
    const stream = new EventStream({
      host: options.exocomHost,
      port: options.exocomPort,
      serviceName: context.serviceName,
      handledNames: () => context.handledNames(),
      connectTimeout: options.requestTimeout,
      heartbeatTimeout: options.heartbeatTimeout,
      reconnectDelay: options.reconnectDelay,
      maxReconnectDelay: options.maxReconnectDelay,
      retries: options.retries,
      onConnect: ({ instance, names }) => this.#connected(instance, names),
      onDisconnect: ({ attempt, error }) => context.reportStatus({ type: 'reconnecting', attempt, error }),
      onMessage: (message) => this.#receive(message),
      onMalformedEvent: (error) => context.reportError(error),
    });
    this.#stream = stream;
    try {
      await stream.open();
    } catch (error) {
      this.#stream = undefined;
      await stream.close();
      throw error;
    }
    return { address: this.#address };
  }

  send(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt> {
    return this.#client.send(message, options?.signal);
  }

  handledNamesChanged(): void {
    this.#announcing = this.#announcing.then(() => this.#announce());
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    const instance = stream?.instance;
    // Stop reading first: what the bus still holds for this instance is answered DELIVERY_FAILED
    // once it forgets the instance, which the deregistration below asks for.
    await stream?.close();
    await this.#announcing;
    await Promise.allSettled([...this.#replies]);
    if (instance !== undefined && this.#context !== undefined) {
      try {
        const deregistration: EventStreamDeregistration = { serviceName: this.#context.serviceName, instance };
        await this.#client.post('/deregister', deregistration);
      } catch (error) {
        debug('deregistering event stream %s failed: %s', instance, (error as Error).message);
      }
    }
    await this.#client.close();
    this.#context?.reportStatus({ type: 'offline' });
  }

  #connected(instance: string, names: readonly string[]): void {
    // Replies go back to the instance a request came from: name it on every message.
    this.#client.identifyAs(instance);
    this.#announced = names;
    this.#requireContext().reportStatus({ type: 'online', address: this.#address });
    // Handlers registered while the connect was under way are not in its query.
    this.handledNamesChanged();
  }

  /** Tells the bus the names handled now, unless it knows them; a stream that reconnects tells it anyway. */
  async #announce(): Promise<void> {
    const context = this.#requireContext();
    const instance = this.#stream?.instance;
    const receives = [...context.handledNames()];
    if (instance === undefined || sameNames(receives, this.#announced)) return;
    try {
      const registration: EventStreamRegistration = { serviceName: context.serviceName, instance, receives };
      const answer = await this.#client.post('/register', registration);
      if (answer.status === 200) this.#announced = receives;
      else debug('registering the names of %s failed with %d: %s', instance, answer.status, answer.text);
    } catch (error) {
      debug('registering the names of %s failed: %s', instance, (error as Error).message);
    }
  }

  /**
   * Hands a message to the relay. Its verdict cannot become an HTTP status as over `/run/NAME`:
   * a contract violation was answered `INVALID_PAYLOAD` by the relay already; a message the
   * relay cannot take (unknown name, closing) is answered `DELIVERY_FAILED` here, as ExoCom
   * answers a failed delivery, so the requester does not wait for its timeout — unless it is
   * one-way: nobody reads its replies.
   */
  async #receive(message: NamedEnvelope): Promise<void> {
    const delivery = await this.#requireContext().deliver(message);
    if (delivery.kind === 'accepted' || delivery.kind === 'rejected') return;
    if (isReply(message.envelope) || message.envelope.oneWay === true) return;
    const reply = this.#replyDeliveryFailed(message, delivery);
    this.#replies.add(reply);
    void reply.then(() => this.#replies.delete(reply));
  }

  async #replyDeliveryFailed(message: NamedEnvelope, delivery: Exclude<Delivery, { kind: 'accepted' }>): Promise<void> {
    const { serviceName } = this.#requireContext();
    debug('could not take %s (%s): %s', message.name, delivery.kind, delivery.error);
    const reply: Envelope = {
      sender: serviceName,
      requestId: randomUUID(),
      responseTo: message.envelope.requestId,
      seq: 0,
      payload: {
        code: WireErrorCode.DeliveryFailed,
        message: `could not deliver '${message.name}' to ${serviceName}: ${delivery.error}`,
        details: { service: serviceName, reason: delivery.error },
      },
    };
    try {
      await this.send({ name: ERROR_OUTCOME, envelope: reply });
    } catch (error) {
      debug('could not report the failed delivery of %s: %s', message.name, (error as Error).message);
    }
  }

  #requireContext(): TransportContext {
    if (this.#context === undefined) throw new ConfigError('the SSE transport was not attached to a relay');
    return this.#context;
  }
}

function resolveOptions(options: SseTransportOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('sseTransport needs an options object');
  if (!Number.isInteger(options.exocomPort) || options.exocomPort <= 0 || options.exocomPort > 65_535) {
    throw new ConfigError(`exocomPort must be a port number, got ${String(options.exocomPort)}`);
  }
  const resolved: ResolvedOptions = {
    exocomHost: 'localhost',
    connections: 32,
    retries: 3,
    retryDelay: 50,
    requestTimeout: 30_000,
    heartbeatTimeout: 35_000,
    reconnectDelay: 100,
    maxReconnectDelay: 5_000,
    ...withoutUndefined(options),
    exocomPort: options.exocomPort,
  };
  for (const name of [
    'connections',
    'retryDelay',
    'requestTimeout',
    'heartbeatTimeout',
    'reconnectDelay',
    'maxReconnectDelay',
  ] as const) {
    if (!(typeof resolved[name] === 'number' && resolved[name] > 0)) {
      throw new ConfigError(`sse.${name} must be a positive number, got ${String(resolved[name])}`);
    }
  }
  if (!(Number.isInteger(resolved.retries) && resolved.retries >= 0)) {
    throw new ConfigError(`sse.retries must be 0 or a positive integer, got ${String(resolved.retries)}`);
  }
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function sameNames(names: readonly string[], known: readonly string[]): boolean {
  if (names.length !== known.length) return false;
  const set = new Set(known);
  return names.every((name) => set.has(name));
}
