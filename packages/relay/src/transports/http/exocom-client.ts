import { BUS_INSTANCE_HEADER, INSTANCE_HEADER, type NamedEnvelope, readReceivers, sendPath } from '@exorelay/protocol';
import { bearerHeader, postText } from '@exorelay/protocol/node';
import { type Dispatcher, interceptors, Pool } from 'undici';
import { ExoComUnreachableError, MessageRejectedError } from '../../errors.js';
import type { SendReceipt } from '../../transport.js';

/**
 * How a relay reaches a bus that serves HTTPS: `ca` to trust its certificate (when not a public
 * one), `cert` and `key` to present a client certificate to a bus that requires one (mTLS). PEM.
 * @example tls: { ca: readFileSync('ca.pem'), cert: readFileSync('users.pem'), key: readFileSync('users-key.pem') }
 */
export interface BusTlsConnection {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** The bus's origin: `https://` when the relay was given `tls`. */
export function busOrigin(host: string, port: number, tls: BusTlsConnection | undefined): string {
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return `${tls === undefined ? 'http' : 'https'}://${bracketed}:${port}`;
}

export interface ExoComClientOptions {
  host: string;
  port: number;
  /** Most keep-alive connections to the bus. */
  connections: number;
  /** Extra attempts after a connection failure or a busy bus (503). */
  retries: number;
  /** First backoff delay in ms; doubles with each retry (a `retry-after` from the bus wins). */
  retryDelay: number;
  /** How long to wait for the bus's answer, in ms. */
  requestTimeout: number;
  /** The service's credential, sent as `authorization: Bearer` with every request. */
  token: string | undefined;
  /** HTTPS to the bus; plain HTTP without it. */
  tls: BusTlsConnection | undefined;
  /** Every answer names the bus instance that gave it; a new name means the bus restarted. */
  onBusInstance(instance: string): void;
  /** A socket to the bus closed with an error: the bus may be gone. */
  onDisconnect(): void;
}

export interface BusAnswer {
  status: number;
  text: string;
}

/**
 * Failures where the request never reached the bus, or where the bus de-duplicates a repeat by
 * `(sender, requestId)`, so trying again cannot deliver a message twice. HTTP statuses are
 * answers, not failures: only 503 (the bus is busy, or an instance is) is tried again.
 */
const retriableCodes = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
];

/** Longest wait between two attempts, whatever the bus's `retry-after` says. */
const MAX_RETRY_WAIT = 2_000;

/** One keep-alive connection pool per relay to the bus; never a connection per message. */
export class ExoComClient {
  readonly #options: ExoComClientOptions;
  readonly #pool: Pool;
  readonly #dispatcher: Dispatcher;
  #headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };

  constructor(options: ExoComClientOptions) {
    this.#options = options;
    if (options.token !== undefined) this.#headers.authorization = bearerHeader(options.token);
    this.#pool = new Pool(busOrigin(options.host, options.port, options.tls), {
      ...(options.tls === undefined ? {} : { connect: options.tls }),
      connections: options.connections,
      headersTimeout: options.requestTimeout,
      bodyTimeout: options.requestTimeout,
    });
    this.#pool.on('disconnect', (_origin, _targets, error) => {
      // Idle keep-alive sockets close with an informational error; only a broken one says anything.
      if (error.name !== 'InformationalError') options.onDisconnect();
    });
    this.#dispatcher = this.#pool.compose(
      interceptors.retry({
        maxRetries: options.retries,
        minTimeout: options.retryDelay,
        maxTimeout: MAX_RETRY_WAIT,
        timeoutFactor: 2,
        methods: ['POST', 'HEAD'],
        statusCodes: [503],
        errorCodes: retriableCodes,
        // After the last attempt a 503 is passed on as an answer, not thrown.
        throwOnError: false,
      }),
    );
  }

  get host(): string {
    return this.#options.host;
  }

  get port(): number {
    return this.#options.port;
  }

  get address(): string {
    return `${this.#options.host}:${this.#options.port}`;
  }

  /** Once the relay listens, every message names the instance that sent it (`host:port`). */
  identifyAs(instance: string): void {
    this.#headers = { ...this.#headers, [INSTANCE_HEADER]: instance };
  }

  /** POSTs a message to `/send/NAME`, retrying connection failures and a busy bus with bounded backoff. */
  async send(message: NamedEnvelope, signal?: AbortSignal): Promise<SendReceipt> {
    const body = JSON.stringify(message.envelope);
    let answer: BusAnswer;
    try {
      answer = await this.#post(this.#dispatcher, sendPath(message.name), body, signal);
    } catch (error) {
      if (signal?.aborted || !isRetriable(error)) throw error;
      throw new ExoComUnreachableError(this.#options.host, this.#options.port, message.name, { cause: error });
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new MessageRejectedError(message.name, answer.status, answer.text || `status ${answer.status}`);
    }
    return { receivers: readReceivers(parseJson(answer.text)) };
  }

  /** One POST without retries, for announcements that are repeated anyway. */
  async post(path: string, body: unknown, signal?: AbortSignal): Promise<BusAnswer> {
    return this.#post(this.#pool, path, JSON.stringify(body), signal);
  }

  /**
   * Whether the bus answers now (any status will do; the answer also names the bus instance),
   * refuses connections (it is gone), or stays silent for `timeout` ms — a busy bus is not a
   * gone one, so silence decides nothing.
   */
  async probe(timeout: number): Promise<'answered' | 'refused' | 'silent'> {
    try {
      const response = await this.#pool.request({
        method: 'HEAD',
        path: '/status',
        headers: this.#headers,
        signal: AbortSignal.timeout(timeout),
        // Undici closes a connection after a HEAD (some servers send a body with it), unless
        // told not to. The bus sends none, and a check every 2 s would reopen one each time.
        reset: false,
      });
      this.#noteBusInstance(response.headers);
      await response.body.dump();
      return 'answered';
    } catch (error) {
      return isRetriable(error) ? 'refused' : 'silent';
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #post(dispatcher: Dispatcher, path: string, body: string, signal?: AbortSignal): Promise<BusAnswer> {
    const answer = await postText(dispatcher, { path, body, headers: this.#headers, signal });
    this.#noteBusInstance(answer.headers);
    return { status: answer.status, text: answer.text };
  }

  #noteBusInstance(headers: Record<string, string | string[] | undefined>): void {
    const instance = headers[BUS_INSTANCE_HEADER];
    if (typeof instance === 'string') this.#options.onBusInstance(instance);
  }
}

/** Whether an error means the bus could not be reached (rather than a local mistake or an abort). */
export function isRetriable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && retriableCodes.includes(code);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
