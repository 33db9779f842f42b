import { setTimeout as delay } from 'node:timers/promises';
import { INSTANCE_HEADER, type NamedEnvelope, readReceivers, sendPath } from '@exorelay/protocol';
import { Pool } from 'undici';
import { debug } from '../../debug.js';
import { ExoComUnreachableError, MessageRejectedError } from '../../errors.js';
import type { SendReceipt } from '../../transport.js';

export interface ExoComClientOptions {
  host: string;
  port: number;
  /** Most keep-alive connections to the bus. */
  connections: number;
  /** Extra attempts after a connection failure. */
  retries: number;
  /** First backoff delay in ms; doubles with each retry. */
  retryDelay: number;
  /** How long to wait for the bus's answer, in ms. */
  requestTimeout: number;
}

export interface BusAnswer {
  status: number;
  text: string;
}

// Failures where the request never reached the bus (or the connection broke), so trying
// again is right. HTTP error statuses are answers, not failures, and are not retried.
const retriableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** One keep-alive connection pool per relay to the bus; never a connection per message. */
export class ExoComClient {
  readonly #options: ExoComClientOptions;
  readonly #pool: Pool;
  #headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };

  constructor(options: ExoComClientOptions) {
    this.#options = options;
    this.#pool = new Pool(`http://${options.host}:${options.port}`, {
      connections: options.connections,
      headersTimeout: options.requestTimeout,
      bodyTimeout: options.requestTimeout,
    });
  }

  /** Once the relay listens, every message names the instance that sent it (`host:port`). */
  identifyAs(instance: string): void {
    this.#headers = { ...this.#headers, [INSTANCE_HEADER]: instance };
  }

  /** POSTs a message to `/send/NAME`, retrying connection failures with a short bounded backoff. */
  async send(message: NamedEnvelope, signal?: AbortSignal): Promise<SendReceipt> {
    const body = JSON.stringify(message.envelope);
    const answer = await this.#postWithRetries(sendPath(message.name), body, message.name, signal);
    if (answer.status < 200 || answer.status >= 300) {
      throw new MessageRejectedError(message.name, answer.status, answer.text || `status ${answer.status}`);
    }
    return { receivers: readReceivers(parseJson(answer.text)) };
  }

  /** One POST without retries, for announcements that are repeated anyway. */
  async post(path: string, body: unknown): Promise<BusAnswer> {
    return this.#post(path, JSON.stringify(body));
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #postWithRetries(path: string, body: string, name: string, signal?: AbortSignal): Promise<BusAnswer> {
    const { retries, retryDelay, host, port } = this.#options;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#post(path, body, signal);
      } catch (error) {
        if (signal?.aborted || !isRetriable(error)) throw error;
        if (attempt >= retries) throw new ExoComUnreachableError(host, port, name, { cause: error });
        debug('sending %s failed (%s), retry %d of %d', name, (error as Error).message, attempt + 1, retries);
        await delay(retryDelay * 2 ** attempt, undefined, { signal });
      }
    }
  }

  async #post(path: string, body: string, signal?: AbortSignal): Promise<BusAnswer> {
    const response = await this.#pool.request({
      method: 'POST',
      path,
      body,
      headers: this.#headers,
      signal,
    });
    // The body is always read: an unread body keeps its connection out of the pool.
    return { status: response.statusCode, text: await response.body.text() };
  }
}

function isRetriable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && retriableCodes.has(code);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
