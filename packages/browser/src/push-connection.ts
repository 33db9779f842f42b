import { BridgeEventType, type PushedMessage } from '@exorelay/protocol';
import { BridgeConnectionError, isBrowserRelayError, RefusedError } from './errors.js';
import { readServerSentEvents } from './server-sent-events.js';

export interface PushConnectionOptions {
  url: string;
  fetch: typeof fetch;
  headers: () => Record<string, string>;
  /** First pause before reconnecting, in ms; doubles per failed attempt up to `maxDelay`. */
  initialDelay: number;
  maxDelay: number;
  /** Silence (not even a heartbeat) after which the connection counts as dead, in ms. */
  idleTimeout: number;
  onMessage(message: PushedMessage): void;
  onError(error: Error): void;
}

/**
 * The one `GET …/events` stream of a client: hands every pushed message to `onMessage`, and
 * when the connection breaks or falls silent, comes back after a growing, jittered pause with
 * `Last-Event-ID`, so the bridge replays what was missed.
 */
export class PushConnection {
  readonly #options: PushConnectionOptions;
  readonly #stopped = new AbortController();
  #lastEventId: string | undefined;

  constructor(options: PushConnectionOptions) {
    this.#options = options;
    this.#run().catch((error: Error) => options.onError(error));
  }

  stop(): void {
    this.#stopped.abort();
  }

  async #run(): Promise<void> {
    let delay = this.#options.initialDelay;
    while (!this.#stopped.signal.aborted) {
      if (await this.#connectOnce()) delay = this.#options.initialDelay;
      if (this.#stopped.signal.aborted) return;
      // Jitter spreads the reconnects of many pages after a server restart.
      await sleep(delay * (0.5 + Math.random() / 2), this.#stopped.signal);
      delay = Math.min(delay * 2, this.#options.maxDelay);
    }
  }

  /** One connection, until it ends or breaks. Resolves with whether the bridge accepted it. */
  async #connectOnce(): Promise<boolean> {
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    this.#stopped.signal.addEventListener('abort', stop, { once: true });
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => attempt.abort(), this.#options.idleTimeout);
    };
    let accepted = false;
    try {
      heard();
      const response = await this.#options.fetch(this.#options.url, {
        headers: this.#headers(),
        signal: attempt.signal,
      });
      if (!response.ok) throw new RefusedError('events', response.status, await response.text().catch(() => ''));
      accepted = true;
      for await (const event of readServerSentEvents(response.body as ReadableStream<Uint8Array>, heard)) {
        if (event.id !== undefined) this.#lastEventId = event.id;
        if (event.event === BridgeEventType.Message) this.#options.onMessage(JSON.parse(event.data) as PushedMessage);
      }
    } catch (error) {
      if (!this.#stopped.signal.aborted) this.#options.onError(asConnectionError(this.#options.url, error));
    } finally {
      clearTimeout(silence);
      this.#stopped.signal.removeEventListener('abort', stop);
      attempt.abort();
    }
    return accepted;
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = { ...this.#options.headers(), accept: 'text/event-stream' };
    if (this.#lastEventId !== undefined) headers['last-event-id'] = this.#lastEventId;
    return headers;
  }
}

function asConnectionError(url: string, error: unknown): Error {
  return isBrowserRelayError(error) ? error : new BridgeConnectionError(url, { cause: error });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
