import type { Reply } from '@exorelay/protocol';
import { BridgeEventType, type ErrorEventData } from '@exorelay/protocol';
import {
  AbortedError,
  BridgeConnectionError,
  ClientClosedError,
  isBrowserRelayError,
  NoRespondersError,
  RefusedError,
  RemoteError,
  StreamDetachedError,
  StreamFailedError,
  TimeoutError,
} from './errors.js';
import { readServerSentEvents } from './server-sent-events.js';

/** How a reply stream may end besides its final reply. */
export interface BrowserSendOptions {
  /**
   * Fail with a `TimeoutError` if no final reply arrived within this many ms.
   * @default no limit for `send()`; the client's `defaultTimeout` for `request()`
   * @example client.send('file.copy', { from, to }, { timeout: 60_000 })
   */
  timeout?: number;
  /**
   * Fail with an `AbortedError` when this signal aborts; the bridge then cancels the stream.
   * @example client.send('file.copy', { from, to }, { signal: AbortSignal.timeout(5000) })
   */
  signal?: AbortSignal;
}

/** What a stream needs from its client. */
export interface StreamStart {
  messageName: string;
  /** The URL it posts to, for error messages. */
  url: string;
  /** Checks the payload, then posts the message; resolves with the bridge's response. */
  post(signal: AbortSignal): Promise<Response>;
  /** Aborts when the client closes. */
  closing: AbortSignal;
}

/**
 * The replies to one message sent through the bridge, in order. Iterate it with `for await` in
 * the tick you sent the message; it ends after the first final reply and throws a typed error
 * when the message fails. `break` closes the connection, and the bridge cancels the stream.
 *
 * @example
 * for await (const reply of client.send('file.copy', { from: 'a.txt', to: 'b.txt' })) {
 *   if (reply.outcome === 'file.copying') bar.value = reply.payload.copiedBytes
 * }
 */
export class BrowserReplyStream<R extends Reply = Reply> implements AsyncIterable<R> {
  readonly messageName: string;
  /** Resolves when the bridge took the message; rejects with a `RefusedError`, `ContractViolationError` … */
  readonly sent: Promise<void>;
  readonly #url: string;
  readonly #abort = new AbortController();
  readonly #response: Promise<Response>;
  readonly #cleanups: (() => void)[] = [];
  #replies: AsyncGenerator<R, void, undefined> | undefined;
  #detached = false;
  #settled = false;

  /** @internal Streams are made by `BrowserRelay#send`. */
  constructor(start: StreamStart, options: BrowserSendOptions) {
    this.messageName = start.messageName;
    this.#url = start.url;
    this.#armEndings(start.closing, options);
    this.#response = this.#post(start);
    this.sent = this.#response.then(() => undefined);
    this.sent.catch(() => this.#settle());
    // A stream nobody reads in this tick is fire-and-forget: once the bridge took the message,
    // hang up, so the page does not hold a connection open for replies it will never read.
    setTimeout(() => {
      if (this.#replies !== undefined) return;
      this.#detached = true;
      this.sent.then(
        () => this.#settle(),
        () => {},
      );
    }, 0);
  }

  /** The replies in order, for `for await (const reply of stream)`; ends after the final one. */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    this.#replies ??= this.#detached ? this.#refuseDetached() : this.#read();
    return this.#replies;
  }

  async *#read(): AsyncGenerator<R, void, undefined> {
    try {
      const response = await this.#response;
      for await (const event of readServerSentEvents(response.body as ReadableStream<Uint8Array>)) {
        if (event.event === BridgeEventType.Reply) {
          const reply = JSON.parse(event.data) as R;
          yield reply;
          if (reply.final) return;
        } else if (event.event === BridgeEventType.End) {
          return;
        } else if (event.event === BridgeEventType.Error) {
          throw errorFromEvent(this.messageName, JSON.parse(event.data) as ErrorEventData);
        }
      }
      throw new BridgeConnectionError(this.#url, {
        cause: new Error('the connection closed before the reply stream ended'),
      });
    } catch (error) {
      throw this.#failure(error);
    } finally {
      this.#settle();
    }
  }

  // biome-ignore lint/correctness/useYield: it only throws, as an iterator that fails on its first step
  async *#refuseDetached(): AsyncGenerator<R, void, undefined> {
    throw new StreamDetachedError(this.messageName);
  }

  async #post(start: StreamStart): Promise<Response> {
    let response: Response;
    try {
      response = await start.post(this.#abort.signal);
    } catch (error) {
      throw this.#failure(error);
    }
    if (response.ok) return response;
    const reason = await response.text().catch(() => '');
    throw new RefusedError(this.messageName, response.status, reason);
  }

  #armEndings(closing: AbortSignal, { timeout, signal }: BrowserSendOptions): void {
    this.#abortOn(signal, () => new AbortedError(this.messageName, { cause: signal?.reason }));
    this.#abortOn(closing, () => new ClientClosedError());
    if (timeout !== undefined) {
      const timer = setTimeout(() => this.#abort.abort(new TimeoutError(this.messageName, timeout)), timeout);
      this.#cleanups.push(() => clearTimeout(timer));
    }
  }

  #abortOn(source: AbortSignal | undefined, reason: () => Error): void {
    if (source === undefined) return;
    const listener = () => this.#abort.abort(reason());
    if (source.aborted) {
      listener();
      return;
    }
    source.addEventListener('abort', listener, { once: true });
    this.#cleanups.push(() => source.removeEventListener('abort', listener));
  }

  /** The typed error for a failure: why we aborted, if we did; else the error itself, or a broken connection. */
  #failure(error: unknown): Error {
    const reason: unknown = this.#abort.signal.reason;
    if (this.#abort.signal.aborted && isBrowserRelayError(reason)) return reason;
    if (isBrowserRelayError(error)) return error;
    return new BridgeConnectionError(this.#url, { cause: error });
  }

  /** The stream is over: release timers and listeners, and the connection if it is still open. */
  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#abort.abort();
  }
}

function errorFromEvent(messageName: string, data: ErrorEventData): Error {
  if (data.code === 'EXORELAY_REMOTE') {
    return new RemoteError(messageName, data.remoteCode ?? 'UNKNOWN', data.message, data.details, data.correlationId);
  }
  if (data.code === 'EXORELAY_NO_RESPONDERS') return new NoRespondersError(messageName);
  return new StreamFailedError(messageName, data.code, data.message);
}
