import { DEFAULT_BODY_LIMIT, type NamedEnvelope } from '@exorelay/protocol';
import { ConfigError } from '../../errors.js';
import type { ListenInfo, SendReceipt, Transport, TransportContext } from '../../transport.js';
import { ExoComClient } from './exocom-client.js';
import { InboundServer } from './inbound-server.js';
import { ServiceAnnouncer } from './service-announcer.js';

export interface HttpTransportOptions {
  /** Port of the ExoCom bus. */
  exocomPort: number;
  /**
   * Host of the ExoCom bus.
   * @default 'localhost'
   */
  exocomHost?: string;
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
  readonly #options: Required<Omit<HttpTransportOptions, 'advertisedHost'>> & { advertisedHost: string };
  readonly #client: ExoComClient;
  #context: TransportContext | undefined;
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
      ...options,
      host,
      advertisedHost: options.advertisedHost ?? (isWildcard(host) ? 'localhost' : host),
    };
    this.#client = new ExoComClient({
      host: this.#options.exocomHost,
      port: this.#options.exocomPort,
      connections: this.#options.connections,
      retries: this.#options.retries,
      retryDelay: this.#options.retryDelay,
      requestTimeout: this.#options.requestTimeout,
    });
  }

  attach(context: TransportContext): void {
    this.#context = context;
  }

  async listen({ port = 0 }: { port?: number }): Promise<ListenInfo> {
    const context = this.#requireContext();
    this.#server = await InboundServer.start({
      host: this.#options.host,
      port,
      bodyLimit: this.#options.bodyLimit,
      serviceName: context.serviceName,
      deliver: (message) => context.deliver(message),
      handledNames: () => context.handledNames(),
    });
    const bound = this.#server.port;
    this.#client.identifyAs(`${this.#options.advertisedHost}:${bound}`);
    if (this.#options.register) {
      this.#announcer = new ServiceAnnouncer(
        this.#client,
        () => ({
          serviceName: context.serviceName,
          host: this.#options.advertisedHost,
          port: bound,
          receives: [...context.handledNames()],
        }),
        this.#options.registrationInterval,
      );
      this.#announcer.start();
    }
    const address = `http://${this.#options.host}:${bound}`;
    context.reportStatus({ type: 'online', address });
    return { port: bound, address };
  }

  send(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt> {
    return this.#client.send(message, options?.signal);
  }

  handledNamesChanged(): void {
    this.#announcer?.announce();
  }

  async stopReceiving(): Promise<void> {
    this.#stopReceiving ??= this.#announcer?.withhold() ?? Promise.resolve();
    await this.#stopReceiving;
  }

  async close(): Promise<void> {
    await this.stopReceiving();
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

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}
