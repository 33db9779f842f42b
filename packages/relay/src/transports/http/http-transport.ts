import { DEFAULT_BODY_LIMIT, type NamedEnvelope } from '@exorelay/protocol';
import { ConfigError } from '../../errors.js';
import type { ListenInfo, SendReceipt, Transport, TransportContext } from '../../transport.js';
import { withoutUndefined } from '../../without-undefined.js';
import { BusWatch } from './bus-watch.js';
import { type BusTlsConnection, ExoComClient } from './exocom-client.js';
import { InboundServer, type InboundTlsOptions } from './inbound-server.js';
import { ServiceAnnouncer } from './service-announcer.js';

/** Options of the HTTP transport: where the bus is, where this relay listens, retries and registration. */
export interface HttpTransportOptions {
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
   * What `POST /run/NAME` requires of its caller. With `token` (the bus's credential, its
   * `auth.bus`), a request without `authorization: Bearer TOKEN` gets 401, so only the bus can
   * run this relay's handlers. With `tls` (`cert`, `key`) it serves HTTPS, and with `tls.ca` only
   * callers that present a client certificate the CA signed connect: the bus with `deliveryTls`.
   * @example inbound: { token: process.env.EXOCOM_BUS_TOKEN }
   */
  inbound?: { token?: string | undefined; tls?: InboundTlsOptions | undefined } | undefined;
  /**
   * HTTPS to a bus started with `tls`: `ca` to trust its certificate, `cert` and `key` for a bus
   * that requires client certificates (mTLS).
   * @example tls: { ca: readFileSync('ca.pem') }
   */
  tls?: BusTlsConnection | undefined;
  /**
   * Address the relay's own server binds to.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Host the bus should use to reach this relay, when it differs from `host` (e.g. `0.0.0.0`).
   * @default host, or 'localhost' when host is a wildcard address
   */
  advertisedHost?: string;
  /**
   * Largest accepted body of `POST /run/NAME`, in bytes; larger ones get 413.
   * @default 1048576
   */
  bodyLimit?: number;
  /**
   * Most keep-alive connections to the bus.
   * @default 32
   */
  connections?: number;
  /**
   * Extra attempts when the bus cannot be reached, with backoff `retryDelay`, ×2, ×4 …
   * @default 3
   */
  retries?: number;
  /** @default 50 */
  retryDelay?: number;
  /**
   * How long to wait for the bus to answer one message, in ms.
   * @default 30000
   */
  requestTimeout?: number;
  /**
   * Announce this relay to the bus on `listen()` (self-registration).
   * @default true
   */
  register?: boolean;
  /**
   * How often to repeat the announcement, in ms.
   * @default 10000
   */
  registrationInterval?: number;
  /**
   * How often to check that the bus is still there, in ms. A bus that died or restarted has
   * forgotten where replies go: open reply streams then end with a `RepliesLostError` at once.
   * @default 2000
   */
  busCheckInterval?: number;
}

/**
 * The HTTP transport of the original ExoRelay: POST `/send/NAME` to ExoCom, receive
 * POST `/run/NAME` on the relay's own port.
 *
 * @example
 * new ExoRelay({ serviceName: 'web', transport: httpTransport({ exocomPort: 3100 }) })
 */
export function httpTransport(options: HttpTransportOptions): Transport {
  return new HttpTransport(options);
}

class HttpTransport implements Transport {
  readonly kind = 'http';
  /** The bus turns the status code of `/run/NAME` into the sender's `exo.error` reply. */
  readonly answersRefusals = true;
  readonly #options: ResolvedOptions;
  readonly #client: ExoComClient;
  #context: TransportContext | undefined;
  #watch: BusWatch | undefined;
  #server: InboundServer | undefined;
  #announcer: ServiceAnnouncer | undefined;
  #stopReceiving: Promise<void> | undefined;

  constructor(options: HttpTransportOptions) {
    if (!Number.isInteger(options.exocomPort) || options.exocomPort <= 0 || options.exocomPort > 65_535) {
      throw new ConfigError(`exocomPort must be a port number, got ${String(options.exocomPort)}`);
    }
    const host = options.host ?? '127.0.0.1';
    this.#options = {
      exocomHost: 'localhost',
      bodyLimit: DEFAULT_BODY_LIMIT,
      connections: 32,
      retries: 3,
      retryDelay: 50,
      requestTimeout: 30_000,
      register: true,
      registrationInterval: 10_000,
      busCheckInterval: 2_000,
      ...withoutUndefined(options),
      exocomPort: options.exocomPort,
      host,
      advertisedHost: options.advertisedHost ?? (isWildcard(host) ? 'localhost' : host),
      token: options.token,
      inboundToken: options.inbound?.token,
      inboundTls: options.inbound?.tls,
      tls: options.tls,
    };
    this.#client = new ExoComClient({
      host: this.#options.exocomHost,
      port: this.#options.exocomPort,
      connections: this.#options.connections,
      retries: this.#options.retries,
      retryDelay: this.#options.retryDelay,
      requestTimeout: this.#options.requestTimeout,
      token: this.#options.token,
      tls: this.#options.tls,
      onBusInstance: (instance) => this.#watch?.busInstanceSeen(instance),
      onDisconnect: () => this.#watch?.check(),
    });
  }

  attach(context: TransportContext): void {
    this.#context = context;
    this.#watch = new BusWatch(this.#client, context, {
      interval: this.#options.busCheckInterval,
      maxRetryDelay: MAX_RETRY_DELAY,
      onBack: async () => {
        await this.#announcer?.announce();
      },
    });
  }

  async listen({ port = 0, signal }: { port?: number; signal?: AbortSignal }): Promise<ListenInfo> {
    const context = this.#requireContext();
    const server = await InboundServer.start({
      host: this.#options.host,
      port,
      bodyLimit: this.#options.bodyLimit,
      busToken: this.#options.inboundToken,
      tls: this.#options.inboundTls,
      serviceName: context.serviceName,
      deliver: (message) => context.deliver(message),
      handledNames: () => context.handledNames(),
    });
    this.#server = server;
    const bound = server.port;
    this.#client.identifyAs(`${this.#options.advertisedHost}:${bound}`);
    if (this.#options.register) {
      const announcer = new ServiceAnnouncer({
        client: this.#client,
        context,
        registration: () => ({
          serviceName: context.serviceName,
          host: this.#options.advertisedHost,
          port: bound,
          receives: [...context.handledNames()],
        }),
        interval: this.#options.registrationInterval,
        retryDelay: this.#options.retryDelay,
        maxRetryDelay: MAX_RETRY_DELAY,
      });
      this.#announcer = announcer;
      try {
        await announcer.start(signal);
      } catch (error) {
        announcer.stop();
        this.#server = undefined;
        await server.close();
        throw error;
      }
    }
    this.#watch?.start();
    const address = `${this.#options.inboundTls === undefined ? 'http' : 'https'}://${this.#options.host}:${bound}`;
    context.reportStatus({ type: 'online', address });
    return { port: bound, address };
  }

  send(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt> {
    // A relay that only sends learns of a lost bus too.
    this.#watch?.start();
    return this.#client.send(message, options?.signal);
  }

  async handledNamesChanged(): Promise<void> {
    await this.#announcer?.announce();
  }

  stopReceiving(): Promise<void> {
    this.#stopReceiving ??= this.#announcer?.withhold() ?? Promise.resolve();
    return this.#stopReceiving;
  }

  async close(): Promise<void> {
    await this.stopReceiving();
    this.#watch?.stop();
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined && this.#announcer !== undefined && this.#context !== undefined) {
      await this.#announcer.withdraw({
        serviceName: this.#context.serviceName,
        host: this.#options.advertisedHost,
        port: server.port,
      });
    }
    await server?.close();
    await this.#client.close();
    this.#context?.reportStatus({ type: 'offline' });
  }

  #requireContext(): TransportContext {
    if (this.#context === undefined) throw new ConfigError('the HTTP transport was not attached to a relay');
    return this.#context;
  }
}

type ResolvedOptions = Required<Omit<HttpTransportOptions, 'advertisedHost' | 'token' | 'inbound' | 'tls'>> & {
  tls: BusTlsConnection | undefined;
  inboundTls: InboundTlsOptions | undefined;
  advertisedHost: string;
  token: string | undefined;
  inboundToken: string | undefined;
};

/** Longest wait between two attempts to reach a bus that is gone, in ms. */
const MAX_RETRY_DELAY = 2_000;

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}
