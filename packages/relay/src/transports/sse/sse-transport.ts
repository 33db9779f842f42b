import type { EventStreamDeregistration, EventStreamRegistration, NamedEnvelope } from '@exorelay/protocol';
import { debug } from '../../debug.js';
import { ConfigError } from '../../errors.js';
import type { ListenInfo, SendReceipt, Transport, TransportContext } from '../../transport.js';
import { withoutUndefined } from '../../without-undefined.js';
import { BusWatch } from '../http/bus-watch.js';
import { type BusTlsConnection, busOrigin, ExoComClient } from '../http/exocom-client.js';
import { EventStream } from './event-stream.js';

/** Options of the SSE transport: where the bus is, reconnects, heartbeats and retries. */
export interface SseTransportOptions {
  /** Port of the ExoCom bus. */
  exocomPort: number;
  /**
   * Host of the ExoCom bus.
   * @default 'localhost'
   */
  exocomHost?: string;
  /**
   * This service's credential for an ExoCom with `auth`, sent as `authorization: Bearer TOKEN` on
   * every request to the bus. Read it from the environment or a file, never from a command line.
   * @example token: process.env.EXOCOM_TOKEN
   */
  token?: string | undefined;
  /**
   * HTTPS to a bus started with `tls`: `ca` to trust its certificate, `cert` and `key` for a bus
   * that requires client certificates (mTLS).
   * @example tls: { ca: readFileSync('ca.pem') }
   */
  tls?: BusTlsConnection | undefined;
  /**
   * Most keep-alive connections to the bus for sending (the event stream has its own).
   * @default 32
   */
  connections?: number;
  /**
   * Extra attempts when the bus cannot be reached to take a message, with backoff `retryDelay`,
   * ×2, ×4 … (`listen()` tries to open the stream until it can, with backoff `reconnectDelay`).
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
  /**
   * How often to check that the bus is still there, in ms. A bus that died or restarted has
   * forgotten where replies go: open reply streams then end with a `RepliesLostError` at once.
   * @default 2000
   */
  busCheckInterval?: number;
}

type ResolvedOptions = Required<Omit<SseTransportOptions, 'token' | 'tls'>> & {
  token: string | undefined;
  tls: BusTlsConnection | undefined;
};

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
  readonly answersRefusals = false;
  readonly #options: ResolvedOptions;
  readonly #client: ExoComClient;
  readonly #address: string;
  /** Aborts waits for the relay's capacity once the transport closes. */
  readonly #stopping = new AbortController();
  #context: TransportContext | undefined;
  #watch: BusWatch | undefined;
  #stream: EventStream | undefined;
  /** The names the bus was last told, in the stream's query or with `POST /register`. */
  #announced: readonly string[] = [];
  #announcing: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;
  /** False once `stopReceiving()` ran: reconnects and announcements then name no messages. */
  #receiving = true;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#address = `${busOrigin(options.exocomHost, options.exocomPort, options.tls)}/events`;
    this.#client = new ExoComClient({
      host: options.exocomHost,
      port: options.exocomPort,
      connections: options.connections,
      retries: options.retries,
      retryDelay: options.retryDelay,
      requestTimeout: options.requestTimeout,
      token: options.token,
      tls: options.tls,
      onBusInstance: (instance) => this.#watch?.busInstanceSeen(instance),
      onDisconnect: () => this.#watch?.check(),
    });
  }

  attach(context: TransportContext): void {
    this.#context = context;
    this.#watch = new BusWatch(this.#client, context, {
      interval: this.#options.busCheckInterval,
      maxRetryDelay: this.#options.maxReconnectDelay,
      // The stream reconnects by itself and announces its names when it does.
      onBack: async () => {},
    });
  }

  async listen({ port, signal }: { port?: number; signal?: AbortSignal }): Promise<ListenInfo> {
    const context = this.#requireContext();
    if (port !== undefined && port !== 0)
      debug('%s: SSE delivery binds no port; ignoring %d', context.serviceName, port);
    const options = this.#options;
    const stream = new EventStream({
      host: options.exocomHost,
      port: options.exocomPort,
      serviceName: context.serviceName,
      token: options.token,
      tls: options.tls,
      handledNames: () => this.#receivedNames(),
      connectTimeout: options.requestTimeout,
      heartbeatTimeout: options.heartbeatTimeout,
      reconnectDelay: options.reconnectDelay,
      maxReconnectDelay: options.maxReconnectDelay,
      onConnect: ({ instance, names }) => this.#connected(instance, names),
      onDisconnect: ({ attempt, error }) => {
        context.reportStatus({ type: 'reconnecting', attempt, error });
        this.#watch?.check();
      },
      onMessage: (message) => this.#receive(message),
      onMalformedEvent: (error) => context.reportError(error),
    });
    this.#stream = stream;
    try {
      await stream.open(signal);
    } catch (error) {
      this.#stream = undefined;
      await stream.close();
      throw error;
    }
    this.#watch?.start();
    return { address: this.#address };
  }

  send(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt> {
    this.#watch?.start();
    return this.#client.send(message, options?.signal);
  }

  handledNamesChanged(): Promise<void> {
    this.#announcing = this.#announcing.then(() => this.#announce());
    return this.#announcing;
  }

  /**
   * Tells the bus to route nothing new here (a registration that receives no names) while the
   * stream stays open: what the bus sent already still arrives and is handled, and replies to
   * this instance's own requests still find it.
   */
  async stopReceiving(): Promise<void> {
    if (!this.#receiving) return this.#announcing;
    this.#receiving = false;
    await this.handledNamesChanged();
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.stopReceiving();
    this.#stopping.abort();
    this.#watch?.stop();
    const stream = this.#stream;
    this.#stream = undefined;
    const instance = stream?.instance;
    // Stop reading first: what the bus still holds for this instance is answered DELIVERY_FAILED
    // once it forgets the instance, which the deregistration below asks for.
    await stream?.close();
    await this.#announcing;
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
    void this.handledNamesChanged();
  }

  /** Tells the bus the names handled now, unless it knows them; a stream that reconnects tells it anyway. */
  async #announce(): Promise<void> {
    const context = this.#requireContext();
    const instance = this.#stream?.instance;
    const receives = [...this.#receivedNames()];
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
   * Hands a message to the relay. Refusals are answered by the relay itself. A busy relay gets
   * the message again once a handler finished: the stream is read one message at a time, so
   * meanwhile the bus holds what follows.
   */
  async #receive(message: NamedEnvelope): Promise<void> {
    const context = this.#requireContext();
    while ((await context.deliver(message)).kind === 'busy') await context.capacity(this.#stopping.signal);
  }

  #receivedNames(): readonly string[] {
    return this.#receiving ? this.#requireContext().handledNames() : [];
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
    busCheckInterval: 2_000,
    ...withoutUndefined(options),
    exocomPort: options.exocomPort,
    token: options.token,
    tls: options.tls,
  };
  for (const name of [
    'connections',
    'retryDelay',
    'requestTimeout',
    'heartbeatTimeout',
    'reconnectDelay',
    'maxReconnectDelay',
    'busCheckInterval',
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

function sameNames(names: readonly string[], known: readonly string[]): boolean {
  if (names.length !== known.length) return false;
  const set = new Set(known);
  return names.every((name) => set.has(name));
}
