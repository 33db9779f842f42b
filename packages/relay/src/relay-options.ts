import type { RelayContracts } from './contracts.js';
import { ConfigError } from './errors.js';
import type { MessageMap } from './message-types.js';
import type { Transport } from './transport.js';
import { type HttpTransportOptions, httpTransport } from './transports/http/http-transport.js';
import { type SseTransportOptions, sseTransport } from './transports/sse/sse-transport.js';

/** Contracts that also carry their message types, so `new ExoRelay({ contracts })` is typed. */
export interface TypedRelayContracts<M extends MessageMap> extends RelayContracts {
  /** Type-level only: never read at run time. */
  readonly '~messages'?: M;
}

/** Options of `new ExoRelay(…)`: the service name, where the bus is (or a transport), contracts, timeouts and limits. */
export interface RelayOptions<M extends MessageMap> {
  /** Name of this service, sent as `sender` with every message. */
  serviceName: string;
  /** Port of the ExoCom bus; required unless `transport` is given. */
  exocomPort?: number | string;
  /** The original ExoRelay's spelling of `exocomPort`. */
  exocommPort?: number | string;
  /**
   * Host of the ExoCom bus.
   * @default 'localhost'
   */
  exocomHost?: string;
  /**
   * This service's credential for an ExoCom with `auth`, sent as `authorization: Bearer TOKEN`
   * on every request to the bus (HTTP and SSE delivery; `http.token`/`sse.token` win). Read it
   * from the environment or a file, never from a command line.
   * @example token: process.env.EXOCOM_TOKEN
   */
  token?: string;
  /**
   * How messages travel. Defaults to HTTP through ExoCom at `exocomHost:exocomPort`; when
   * given, `delivery`, `http` and `sse` are not used.
   * @example transport: natsTransport({ servers: 'nats://127.0.0.1:4222' })
   */
  transport?: Transport;
  /**
   * How ExoCom delivers messages to this relay: `'http'` POSTs `/run/NAME` to a port the relay
   * listens on; `'sse'` writes them to a Server-Sent Events stream the relay opens (no inbound
   * port: behind NAT, in serverless runtimes). Sending is `POST /send/NAME` either way.
   * @default 'http'
   * @example new ExoRelay({ serviceName: 'reports', exocomPort: 3100, delivery: 'sse' })
   */
  delivery?: 'http' | 'sse';
  /** Options of the default HTTP transport (bind host, body limit, retries …). */
  http?: Omit<HttpTransportOptions, 'exocomPort' | 'exocomHost'>;
  /** Options of the SSE transport that `delivery: 'sse'` builds (heartbeat timeout, reconnect backoff, retries …). */
  sse?: Omit<SseTransportOptions, 'exocomPort' | 'exocomHost'>;
  /** Message contracts: type the relay's API and validate messages at run time. */
  contracts?: TypedRelayContracts<M>;
  /**
   * Validate messages against `contracts`; switch off for trusted hot paths. Types stay, and so
   * does the contracts' say on which outcomes are final.
   * @default true
   */
  validate?: boolean;
  /**
   * How long `request()` waits for a final reply unless told otherwise, in ms.
   * @default 30000
   */
  defaultTimeout?: number;
  /**
   * Most replies one stream buffers while its consumer is not reading; more fail the stream.
   * @default 10000
   */
  maxBufferedReplies?: number;
  /**
   * How long `close()` waits for running handlers to finish, in ms.
   * @default 10000
   */
  drainTimeout?: number;
  /**
   * Most handlers that run at once. Beyond it the relay refuses new messages as busy (HTTP:
   * `503` with `retry-after`, and the bus tries another instance or retries shortly; SSE and
   * NATS: the relay stops taking messages until a handler finishes), so a burst waits outside
   * this process instead of exhausting it.
   * @default 256
   */
  maxConcurrentHandlers?: number;
}

export interface ResolvedRelayOptions {
  serviceName: string;
  transport: Transport;
  contracts: RelayContracts | undefined;
  validate: boolean;
  defaultTimeout: number;
  maxBufferedReplies: number;
  drainTimeout: number;
  maxConcurrentHandlers: number;
}

/** Checks the options and fills in defaults. Throws a `ConfigError` with the original texts. */
export function resolveRelayOptions<M extends MessageMap>(options: RelayOptions<M>): ResolvedRelayOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('ExoRelay needs an options object');
  const transport = options.transport ?? defaultTransport(options);
  if (!options.serviceName) throw new ConfigError('serviceName not provided');
  if (typeof options.serviceName !== 'string') throw new ConfigError('serviceName must be a string');
  return {
    serviceName: options.serviceName,
    transport,
    contracts: options.contracts,
    validate: options.validate !== false,
    defaultTimeout: positive('defaultTimeout', options.defaultTimeout, 30_000),
    maxBufferedReplies: positive('maxBufferedReplies', options.maxBufferedReplies, 10_000),
    drainTimeout: positive('drainTimeout', options.drainTimeout, 10_000),
    maxConcurrentHandlers: positive('maxConcurrentHandlers', options.maxConcurrentHandlers, 256),
  };
}

function defaultTransport<M extends MessageMap>(options: RelayOptions<M>): Transport {
  const port = options.exocomPort ?? options.exocommPort;
  if (port === undefined || port === null || port === '') throw new ConfigError('exocomPort not provided');
  const exocomPort = Number(port);
  if (!Number.isInteger(exocomPort) || exocomPort <= 0 || exocomPort > 65_535) {
    throw new ConfigError(`exocomPort must be a port number, got ${JSON.stringify(port)}`);
  }
  const exocomHost = options.exocomHost ?? 'localhost';
  switch (options.delivery ?? 'http') {
    case 'http':
      return httpTransport({ token: options.token, ...options.http, exocomPort, exocomHost });
    case 'sse':
      return sseTransport({ token: options.token, ...options.sse, exocomPort, exocomHost });
    default:
      throw new ConfigError(`delivery must be 'http' or 'sse', got ${JSON.stringify(options.delivery)}`);
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0))
    throw new ConfigError(`${name} must be a positive number, got ${value}`);
  return value;
}
