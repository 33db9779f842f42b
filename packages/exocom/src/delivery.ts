import { setTimeout as delay } from 'node:timers/promises';
import { type Envelope, runPath } from '@exorelay/protocol';
import { Pool } from 'undici';

/** A message on its way to one instance, under the name that instance knows it by. */
export interface OutgoingMessage {
  name: string;
  envelope: Envelope;
  /** The envelope serialised once for every receiver: the bus forwards it as it came. */
  json: string;
}

/** What became of one delivery. */
export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** The instance answered with a 4xx: it is up, but refused this message. */
  | { kind: 'refused'; status: number; reason: string }
  /** The instance could not be reached, or answered 5xx, on every attempt. */
  | { kind: 'unreachable'; reason: string; status?: number; cause?: unknown };

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
  /** Cancels retries and deliveries in flight and frees the connections. */
  close(): Promise<void>;
}

export interface HttpChannelOptions {
  host: string;
  port: number;
  /** Most keep-alive connections to the instance. */
  connections: number;
  /** Extra attempts after a connection failure or a 5xx answer. */
  retries: number;
  /** First backoff delay in ms; doubles with each retry. */
  retryDelay: number;
  /** How long one attempt may wait for the instance's answer, in ms. */
  timeout: number;
}

/** Delivers with `POST /run/NAME` over one keep-alive undici `Pool` per instance. */
export class HttpInstanceChannel implements InstanceChannel {
  readonly #options: HttpChannelOptions;
  readonly #pool: Pool;
  readonly #closing = new AbortController();

  constructor(options: HttpChannelOptions) {
    this.#options = options;
    this.#pool = new Pool(`http://${formatHost(options.host)}:${options.port}`, {
      connections: options.connections,
      headersTimeout: options.timeout,
      bodyTimeout: options.timeout,
    });
  }

  async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    const { retries, retryDelay } = this.#options;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.#post(message);
      if (outcome.kind !== 'unreachable' || attempt >= retries || this.#closing.signal.aborted) return outcome;
      try {
        await delay(retryDelay * 2 ** attempt, undefined, { signal: this.#closing.signal });
      } catch {
        return outcome;
      }
    }
  }

  async probe(): Promise<boolean> {
    try {
      const response = await this.#pool.request({ method: 'GET', path: '/status' });
      await response.body.dump();
      return response.statusCode >= 200 && response.statusCode < 300;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    // Destroying aborts requests in flight at once; an abort signal per request would cost a
    // listener on one shared signal for every message.
    await this.#pool.destroy();
  }

  async #post(message: OutgoingMessage): Promise<DeliveryOutcome> {
    try {
      const response = await this.#pool.request({
        method: 'POST',
        path: runPath(message.name),
        body: message.json,
        headers: { 'content-type': 'application/json' },
      });
      // Always read the body: an unread body keeps its connection out of the pool.
      const text = await response.body.text();
      const status = response.statusCode;
      if (status >= 200 && status < 300) return { kind: 'delivered' };
      const reason = text === '' ? `status ${status}` : `status ${status}: ${text}`;
      if (status >= 500) return { kind: 'unreachable', status, reason };
      return { kind: 'refused', status, reason };
    } catch (cause) {
      return { kind: 'unreachable', reason: describeFailure(cause), cause };
    }
  }
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
