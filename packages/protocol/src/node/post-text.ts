/** An HTTP answer read whole: status, headers and the body as text. */
export interface TextAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** What undici hands a dispatch handler to cancel its request (its `DispatchController`). */
interface RequestControl {
  abort(reason: Error): void;
}

/**
 * The part of an undici `Dispatcher` (a `Pool`, or one composed with interceptors) that
 * `postText` uses; structural, so this package does not depend on undici.
 */
export interface RequestDispatcher {
  dispatch(
    options: { method: 'POST'; path: string; body: string; headers: Record<string, string> },
    handler: TextAnswerHandler,
  ): boolean;
}

export interface PostTextOptions {
  path: string;
  body: string;
  headers: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/**
 * POSTs `body` and resolves with the whole answer; rejects with what undici reports (a
 * connection failure, a timeout) or with the signal's reason. The same as `dispatcher.request()`
 * followed by `body.text()`, without a body stream, an async resource and their promises per
 * request: the bus and the relays POST once per message and hop.
 */
export function postText(dispatcher: RequestDispatcher, options: PostTextOptions): Promise<TextAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new TextAnswerHandler(resolve, reject, options.signal);
    dispatcher.dispatch({ method: 'POST', path: options.path, body: options.body, headers: options.headers }, handler);
  });
}

/** An undici dispatch handler that collects the answer's body and settles one promise. */
class TextAnswerHandler {
  readonly #resolve: (answer: TextAnswer) => void;
  readonly #reject: (error: Error) => void;
  readonly #signal: AbortSignal | undefined;
  #control: RequestControl | undefined;
  #status = 0;
  #headers: TextAnswer['headers'] = {};
  #chunks: Buffer[] = [];

  constructor(resolve: (answer: TextAnswer) => void, reject: (error: Error) => void, signal: AbortSignal | undefined) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#signal = signal;
    // Listened to from the start: a request still queued in the pool is aborted once it starts.
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  readonly #onAbort = () => this.#control?.abort(abortReason(this.#signal));

  onRequestStart(control: RequestControl): void {
    this.#control = control;
    if (this.#signal?.aborted) control.abort(abortReason(this.#signal));
  }

  onResponseStart(_control: RequestControl, status: number, headers: TextAnswer['headers']): void {
    this.#status = status;
    this.#headers = headers;
    // Answers before the last (a retried 503) are not this one's body.
    this.#chunks = [];
  }

  onResponseData(_control: RequestControl, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.#stopListening();
    const chunks = this.#chunks;
    const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
    this.#resolve({ status: this.#status, headers: this.#headers, text });
  }

  onResponseError(_control: RequestControl, error: Error): void {
    this.#stopListening();
    this.#reject(error);
  }

  #stopListening(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }
}

/** The signal's reason, as `dispatcher.request()` rejects with it. */
function abortReason(signal: AbortSignal | undefined): Error {
  return (signal?.reason as Error | undefined) ?? new DOMException('This operation was aborted', 'AbortError');
}
