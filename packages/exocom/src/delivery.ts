import { type Envelope, runPath } from '@exorelay/protocol';
import { bearerHeader, postText } from '@exorelay/protocol/node';
import { Pool } from 'undici';

/**
 * A message on its way to one instance, under the name that instance knows it by. A class, not
 * an object literal, for the reason `Job` is one.
 */
export class OutgoingMessage {
  constructor(
    readonly name: string,
    readonly envelope: Envelope,
    /** The envelope serialised once for every receiver: the bus forwards it as it came. */
    readonly json: string,
  ) {}
}

/**
 * What became of one delivery attempt. Only `not-reached` and `busy` may be tried again: in
 * every other case the instance may have started the handler, and handlers run at most once.
 */
export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** The instance answered with a 4xx: it is up, but refused this message. */
  | { kind: 'refused'; status: number; reason: string }
  /** The instance answered 503: saturated or closing, it did not take the message; try again after `retryAfter` ms. */
  | { kind: 'busy'; retryAfter: number; reason: string }
  /** The message provably did not reach the instance (connection refused, connect timeout, instance gone). */
  | { kind: 'not-reached'; reason: string; cause?: unknown }
  /** The instance may have received the message but did not take it (5xx, reset, timeout): never retried. */
  | { kind: 'failed'; reason: string; status?: number; cause?: unknown };

/**
 * How the bus reaches one instance. Routing, load balancing and reply routes only talk to this
 * interface: `HttpInstanceChannel` POSTs `/run/NAME`, `EventStreamChannel` writes to an
 * instance's `GET /events` stream.
 */
export interface InstanceChannel {
  /** Hands over one message. Never rejects: failures are outcomes. */
  deliver(message: OutgoingMessage): Promise<DeliveryOutcome>;
  /**
   * Whether the instance answers a health check now. Never rejects. Absent when the channel
   * knows the instance's health itself (an event stream's connection and heartbeats).
   */
  probe?(): Promise<boolean>;
  /**
   * The instance left the routing table: takes no new message (they come back `not-reached`),
   * lets deliveries in flight finish, then frees the connections.
   */
  retire(): Promise<void>;
  /** Cancels deliveries in flight and frees the connections. */
  close(): Promise<void>;
}

export interface HttpChannelOptions {
  host: string;
  port: number;
  /** Most keep-alive connections to the instance. */
  connections: number;
  /** How long one attempt may wait for the instance's answer, in ms. */
  timeout: number;
  /** The bus's credential, presented to the instance on every request. */
  token?: string | undefined;
  /**
   * Deliver over HTTPS: `ca` to trust the instance's certificate, `cert`/`key` for one that
   * requires the bus's (mTLS), `servername` to check its certificate against instead of `host`.
   */
  tls?: (DeliveryTlsOptions & { servername?: string }) | undefined;
}

/** How the bus reaches relays that serve HTTPS (`inbound.tls`); PEM. */
export interface DeliveryTlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

/**
 * Delivers with `POST /run/NAME` over one keep-alive undici `Pool` per instance, one attempt per
 * call: whether and where to try again is the dispatcher's decision.
 */
export class HttpInstanceChannel implements InstanceChannel {
  readonly #pool: Pool;
  readonly #headers: Record<string, string>;
  readonly #postHeaders: Record<string, string>;
  #retired = false;

  constructor(options: HttpChannelOptions) {
    this.#headers = options.token === undefined ? {} : { authorization: bearerHeader(options.token) };
    // Built once: every delivery sends the same headers.
    this.#postHeaders = { ...this.#headers, 'content-type': 'application/json' };
    const scheme = options.tls === undefined ? 'http' : 'https';
    this.#pool = new Pool(`${scheme}://${formatHost(options.host)}:${options.port}`, {
      ...(options.tls === undefined ? {} : { connect: options.tls }),
      connections: options.connections,
      headersTimeout: options.timeout,
      bodyTimeout: options.timeout,
    });
  }

  deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    if (this.#retired) return Promise.resolve({ kind: 'not-reached', reason: 'it left the routing table' });
    return this.#post(message);
  }

  async probe(): Promise<boolean> {
    try {
      const response = await this.#pool.request({ method: 'GET', path: '/status', headers: this.#headers });
      await response.body.dump();
      return response.statusCode >= 200 && response.statusCode < 300;
    } catch {
      return false;
    }
  }

  async retire(): Promise<void> {
    if (this.#retired) return;
    this.#retired = true;
    await this.#pool.close();
  }

  async close(): Promise<void> {
    this.#retired = true;
    // Destroying aborts requests in flight at once; an abort signal per request would cost a
    // listener on one shared signal for every message.
    await this.#pool.destroy();
  }

  async #post(message: OutgoingMessage): Promise<DeliveryOutcome> {
    try {
      const { status, headers, text } = await postText(this.#pool, {
        path: runPath(message.name),
        body: message.json,
        headers: this.#postHeaders,
      });
      if (status >= 200 && status < 300) return { kind: 'delivered' };
      const reason = text === '' ? `status ${status}` : `status ${status}: ${text}`;
      if (status === 503) return { kind: 'busy', retryAfter: parseRetryAfter(headers['retry-after']), reason };
      if (status >= 500) return { kind: 'failed', status, reason };
      return { kind: 'refused', status, reason };
    } catch (cause) {
      const reason = describeFailure(cause);
      return neverSent(cause) ? { kind: 'not-reached', reason, cause } : { kind: 'failed', reason, cause };
    }
  }
}

/** Errors that happen before a byte of the request left: connecting failed, or the pool was closed. */
const connectFailures = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function neverSent(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.length > 0 && error.errors.every(neverSent);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && connectFailures.has(code);
}

/** Most a `retry-after` may ask the bus to wait, in ms: longer waits are the sender's to decide. */
const longestRetryAfter = 60_000;

/** `retry-after` in seconds or as an HTTP date, in ms; 1 s when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return 1000;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  if (!Number.isFinite(ms)) return 1000;
  return Math.min(Math.max(ms, 0), longestRetryAfter);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** A readable reason; connecting to a name with several addresses fails with an AggregateError and no message. */
function describeFailure(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') return describeFailure(error.errors[0]);
  if (error instanceof Error) return error.message || String((error as { code?: unknown }).code ?? error.name);
  return String(error);
}
