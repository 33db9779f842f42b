import {
  type FinalReplyOf,
  isReservedName,
  type MessageArguments,
  type MessageMap,
  type MessageName,
  type PayloadInputOf,
  type PayloadOf,
  type PushedMessage,
  type Reply,
  type ReplyOf,
  type RequestableName,
  type UntypedMessages,
} from '@exorelay/protocol';
import { bridgeUrl } from './bridge-url.js';
import { BrowserReplyStream, type BrowserSendOptions } from './browser-reply-stream.js';
import { ClientClosedError, ContractViolationError, InvalidArgumentError, StreamFailedError } from './errors.js';
import { PushConnection } from './push-connection.js';

/**
 * What the page needs of message contracts: their types and a payload check. The contracts of
 * `@exorelay/contracts` (`defineContracts(…)`) are such an object.
 */
export interface BrowserContracts<M extends MessageMap> {
  /** Type-level only: never read at run time. */
  readonly '~messages'?: M;
  /** Checks the payload of message `name`; `undefined` when the contracts do not describe `name`. */
  validatePayload(name: string, payload: unknown): PayloadCheck | Promise<PayloadCheck> | undefined;
}

/** A payload check's answer: the (possibly transformed) payload, or readable issues. */
export type PayloadCheck = { ok: true; value: unknown } | { ok: false; issues: readonly string[] };

/** Options of `createBrowserRelay`. */
export interface BrowserRelayOptions<M extends MessageMap = UntypedMessages> {
  /**
   * Where the frontend bridge is; relative URLs resolve against the page. Outside a browser
   * (Node, Deno, Bun) give an absolute URL.
   * @example url: '/bridge'
   */
  url: string;
  /**
   * The message contracts (`@exorelay/contracts`): type `send`, `request` and `on`, and check
   * payloads in the page before they are sent. The server's relay checks them again.
   * @example contracts: (await import('./contracts.js')).contracts
   */
  contracts?: BrowserContracts<M>;
  /**
   * Extra request headers, e.g. a bearer token for the bridge's `authorize`; a function is asked
   * anew for every request. Cookies of the page's origin are sent anyway.
   * @example headers: () => ({ authorization: `Bearer ${session.token}` })
   */
  headers?: Record<string, string> | (() => Record<string, string>);
  /**
   * How long `request()` waits for a final reply unless told otherwise, in ms.
   * @default 30000
   */
  defaultTimeout?: number;
  /**
   * Pauses between reconnects of the event stream, in ms: the first, doubling up to the most.
   * @default { initialDelay: 500, maxDelay: 30000 }
   */
  reconnect?: { initialDelay?: number; maxDelay?: number };
  /**
   * Silence on the event stream (the bridge sends heartbeats every 15 s) after which it counts
   * as dead and is reconnected, in ms.
   * @default 45000
   */
  idleTimeout?: number;
  /**
   * Told about failures that belong to no call: the event stream broke or was refused, an `on`
   * handler threw.
   * @default `reportError` where the platform has it (browsers, Deno, Bun)
   * @example onError: (error) => statusLine.show(error.message)
   */
  onError?: (error: Error) => void;
  /**
   * The `fetch` to use.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
}

/** The options of `request()`. */
export interface BrowserRequestOptions<R extends Reply = Reply> extends BrowserSendOptions {
  /** Called with each progress reply that comes before the final one. */
  onProgress?: (reply: R) => void;
}

/** Handles one pushed message: its payload, and the message with its `sender` and `requestId`. */
export type PushHandler<Payload = unknown> = (payload: Payload, message: PushedMessage) => unknown;

/**
 * ExoRelay for web pages: the relay's `send` / `request` / `on` API over a frontend bridge
 * (`createFrontendBridge` of `@exorelay/sse`). Messages go out as `POST …/send/NAME`; their
 * replies, and the messages the bridge pushes, come back as Server-Sent Events.
 *
 * @example
 * const client = createBrowserRelay({ url: '/bridge', contracts })
 * const created = await client.request('users.create', { name: 'Jean-Luc', email: 'jl@example.com' })
 * client.on('users.created', (user) => list.add(user))
 */
export class BrowserRelay<M extends MessageMap = UntypedMessages> {
  readonly #options: BrowserRelayOptions<M>;
  readonly #fetch: typeof fetch;
  readonly #handlers = new Map<string, Set<PushHandler>>();
  readonly #closing = new AbortController();
  #push: PushConnection | undefined;

  constructor(options: BrowserRelayOptions<M>) {
    if (typeof options?.url !== 'string' || options.url === '') {
      throw new InvalidArgumentError("createBrowserRelay needs the bridge's url: { url: '/bridge' }");
    }
    try {
      bridgeUrl(options.url, '');
    } catch (cause) {
      throw new InvalidArgumentError(
        `cannot resolve the bridge url '${options.url}': outside a web page, give an absolute URL`,
        { cause },
      );
    }
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * Sends a message through the bridge and returns the stream of its replies. Iterate it in the
   * tick you sent it, or only `await stream.sent`: a stream nobody reads in that tick is
   * fire-and-forget, and the client hangs up once the bridge took the message.
   */
  send<N extends MessageName<M>>(
    name: N,
    ...args: MessageArguments<M, N, BrowserSendOptions>
  ): BrowserReplyStream<ReplyOf<M, N>>;
  send<N extends MessageName<M>>(
    name: N,
    payload?: PayloadInputOf<M, N>,
    options: BrowserSendOptions = {},
  ): BrowserReplyStream<ReplyOf<M, N>> {
    const url = bridgeUrl(this.#options.url, `/send/${encodeURIComponent(name)}`);
    const start = {
      messageName: name,
      url,
      closing: this.#closing.signal,
      post: async (signal: AbortSignal) => {
        const body = encodeMessage(name, payload);
        await this.#checkPayload(name, payload);
        return this.#fetch(url, {
          method: 'POST',
          headers: { ...this.#headers(), 'content-type': 'application/json', accept: 'text/event-stream' },
          body,
          signal,
        });
      },
    };
    return new BrowserReplyStream<ReplyOf<M, N>>(start, options);
  }

  /**
   * Sends a message and resolves with its first final reply. Rejects with a `TimeoutError`, an
   * `AbortedError`, a `RemoteError` (the receiver failed), a `RefusedError` (the bridge said
   * no: 401, 403, 413, 400, 422 …), a `NoRespondersError` or a `BridgeConnectionError`.
   */
  request<N extends RequestableName<M>>(
    name: N,
    ...args: MessageArguments<M, N, BrowserRequestOptions<ReplyOf<M, N>>>
  ): Promise<FinalReplyOf<M, N>>;
  async request<N extends RequestableName<M>>(
    name: N,
    payload?: PayloadInputOf<M, N>,
    options: BrowserRequestOptions<ReplyOf<M, N>> = {},
  ): Promise<FinalReplyOf<M, N>> {
    const { onProgress, ...streamOptions } = options;
    const timeout = streamOptions.timeout ?? this.#options.defaultTimeout ?? 30_000;
    const stream = this.send(name, payload as PayloadInputOf<M, N>, { ...streamOptions, timeout });
    for await (const reply of stream) {
      if (reply.final) return reply as FinalReplyOf<M, N>;
      onProgress?.(reply);
    }
    throw new StreamFailedError(name, 'NO_FINAL_REPLY', 'the reply stream ended without a final reply');
  }

  /**
   * Calls `handler` with every `name` message the bridge pushes (its `allow.receive` list). The
   * first handler opens the client's one event stream; returns a function that removes the
   * handler (the last one removed closes the stream).
   *
   * @example
   * const off = client.on('users.created', (user) => list.add(user))
   */
  on<N extends MessageName<M>>(name: N, handler: PushHandler<PayloadOf<M, N>>): () => void {
    if (this.#closing.signal.aborted) throw new ClientClosedError();
    const handlers = this.#handlers.get(name) ?? new Set<PushHandler>();
    handlers.add(handler as PushHandler);
    this.#handlers.set(name, handlers);
    this.#push ??= this.#connect();
    return () => {
      handlers.delete(handler as PushHandler);
      if (handlers.size === 0) this.#handlers.delete(name);
      if (this.#handlers.size > 0) return;
      this.#push?.stop();
      this.#push = undefined;
    };
  }

  /** Closes the event stream and fails every open reply stream with a `ClientClosedError`. */
  close(): void {
    this.#closing.abort();
    this.#push?.stop();
    this.#push = undefined;
    this.#handlers.clear();
  }

  #connect(): PushConnection {
    const { reconnect = {}, idleTimeout = 45_000 } = this.#options;
    return new PushConnection({
      url: bridgeUrl(this.#options.url, '/events'),
      fetch: this.#fetch,
      headers: () => this.#headers(),
      initialDelay: reconnect.initialDelay ?? 500,
      maxDelay: reconnect.maxDelay ?? 30_000,
      idleTimeout,
      onMessage: (message) => this.#dispatch(message),
      onError: (error) => this.#reportError(error),
    });
  }

  #dispatch(message: PushedMessage): void {
    for (const handler of this.#handlers.get(message.name) ?? []) {
      try {
        Promise.resolve(handler(message.payload, message)).catch((error: unknown) => this.#reportError(asError(error)));
      } catch (error) {
        this.#reportError(asError(error));
      }
    }
  }

  async #checkPayload(name: string, payload: unknown): Promise<void> {
    const result = await this.#options.contracts?.validatePayload(name, payload);
    if (result !== undefined && !result.ok) throw new ContractViolationError(name, result.issues);
  }

  #headers(): Record<string, string> {
    const { headers } = this.#options;
    return typeof headers === 'function' ? headers() : { ...headers };
  }

  #reportError(error: Error): void {
    if (this.#options.onError !== undefined) this.#options.onError(error);
    else (globalThis as { reportError?: (error: unknown) => void }).reportError?.(error);
  }
}

/**
 * Makes a client for the frontend bridge at `url`. Typed by `contracts` when given.
 *
 * @example
 * const client = createBrowserRelay({ url: '/bridge' })
 * for await (const reply of client.send('file.copy', { from: 'manual.txt', to: 'copy.txt' })) show(reply)
 */
export function createBrowserRelay<M extends MessageMap = UntypedMessages>(
  options: BrowserRelayOptions<M>,
): BrowserRelay<M> {
  return new BrowserRelay(options);
}

/** The body of `POST …/send/NAME`, or why the message cannot be sent. */
function encodeMessage(name: unknown, payload: unknown): string {
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a message needs a name');
  if (isReservedName(name)) {
    throw new InvalidArgumentError(`cannot send '${name}': names starting with 'exo.' are reserved for the protocol`);
  }
  try {
    return JSON.stringify(payload === undefined ? {} : { payload });
  } catch (cause) {
    throw new InvalidArgumentError(`the payload of '${name}' cannot be sent as JSON`, { cause });
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
