/**
 * Every error `@exorelay/browser` raises is a {@link BrowserRelayError} with a stable `code`.
 * Where a failure means the same as in the relay, the code is the relay's (`EXORELAY_TIMEOUT`,
 * `EXORELAY_REMOTE` …), so one `switch (err.code)` serves both. Match on `err.code` (or
 * `instanceof`, which holds across duplicate bundles thanks to a `Symbol.for` brand).
 */
export const BrowserErrorCode = {
  Timeout: 'EXORELAY_TIMEOUT',
  Aborted: 'EXORELAY_ABORTED',
  Remote: 'EXORELAY_REMOTE',
  NoResponders: 'EXORELAY_NO_RESPONDERS',
  ContractViolation: 'EXORELAY_CONTRACT_VIOLATION',
  Closed: 'EXORELAY_CLOSED',
  Refused: 'EXORELAY_REFUSED',
  BridgeConnection: 'EXORELAY_BRIDGE_CONNECTION',
  StreamFailed: 'EXORELAY_STREAM_FAILED',
  StreamDetached: 'EXORELAY_STREAM_DETACHED',
  InvalidArgument: 'EXORELAY_INVALID_ARGUMENT',
} as const;
export type BrowserErrorCode = (typeof BrowserErrorCode)[keyof typeof BrowserErrorCode];

const brand = Symbol.for('exorelay.browser.error');

function brandOf(code: BrowserErrorCode): symbol {
  return Symbol.for(`exorelay.browser.error.${code}`);
}

function hasBrand(instance: unknown, code: BrowserErrorCode): boolean {
  return (
    typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brandOf(code)] === true
  );
}

/** Base class of every `@exorelay/browser` error. */
export class BrowserRelayError extends Error {
  readonly code: BrowserErrorCode;

  constructor(code: BrowserErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BrowserRelayError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, brandOf(code), { value: true });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brand] === true;
  }
}

export function isBrowserRelayError(value: unknown): value is BrowserRelayError {
  return value instanceof BrowserRelayError;
}

/** No final reply arrived within the `timeout` of `request()` or `send()`. */
export class TimeoutError extends BrowserRelayError {
  constructor(
    readonly messageName: string,
    readonly timeoutMs: number,
  ) {
    super(BrowserErrorCode.Timeout, `message '${messageName}' timed out: no final reply within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.Timeout);
  }
}

/** The caller's `AbortSignal` fired; `cause` holds the signal's reason. */
export class AbortedError extends BrowserRelayError {
  constructor(
    readonly messageName: string,
    options?: ErrorOptions,
  ) {
    super(BrowserErrorCode.Aborted, `message '${messageName}' was aborted`, options);
    this.name = 'AbortedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.Aborted);
  }
}

/** The receiving service answered `exo.error`: its handler failed, or the message broke its contract. */
export class RemoteError extends BrowserRelayError {
  constructor(
    readonly messageName: string,
    /** The wire code, e.g. `HANDLER_FAILED`, `INVALID_PAYLOAD`, `DELIVERY_FAILED`. */
    readonly remoteCode: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(BrowserErrorCode.Remote, message);
    this.name = 'RemoteError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.Remote);
  }
}

/** No service receives the message, so no reply can ever come. */
export class NoRespondersError extends BrowserRelayError {
  constructor(readonly messageName: string) {
    super(BrowserErrorCode.NoResponders, `no service receives message '${messageName}'`);
    this.name = 'NoRespondersError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.NoResponders);
  }
}

/** The payload does not satisfy the message's contract; checked in the page, before anything is sent. */
export class ContractViolationError extends BrowserRelayError {
  constructor(
    readonly messageName: string,
    /** Readable schema issues, one per entry. */
    readonly issues: readonly string[],
  ) {
    super(
      BrowserErrorCode.ContractViolation,
      `payload of '${messageName}' breaks its contract:\n  - ${issues.join('\n  - ')}`,
    );
    this.name = 'ContractViolationError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.ContractViolation);
  }
}

/** The client was closed while the operation was open, or used after `close()`. */
export class ClientClosedError extends BrowserRelayError {
  constructor() {
    super(BrowserErrorCode.Closed, 'the browser relay is closed');
    this.name = 'ClientClosedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.Closed);
  }
}

/**
 * The bridge answered with an error status: 401 (not authenticated), 403 (message not public),
 * 413 (body too large), 400 (bad body), 422 (the server's contracts refused the payload), 5xx.
 */
export class RefusedError extends BrowserRelayError {
  constructor(
    /** The message name, or `'events'` for the event stream. */
    readonly messageName: string,
    readonly status: number,
    /** The bridge's plain-text reason. */
    readonly reason: string,
  ) {
    super(BrowserErrorCode.Refused, `the bridge refused '${messageName}' with status ${status}: ${reason}`);
    this.name = 'RefusedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.Refused);
  }
}

/** The bridge could not be reached, or the connection broke before the reply stream ended; `cause` says why. */
export class BridgeConnectionError extends BrowserRelayError {
  constructor(
    readonly url: string,
    options?: ErrorOptions,
  ) {
    super(BrowserErrorCode.BridgeConnection, `the connection to the bridge at ${url} failed or broke`, options);
    this.name = 'BridgeConnectionError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.BridgeConnection);
  }
}

/** The server's reply stream failed for a reason of its own (`serverCode`: `EXORELAY_TIMEOUT`, `EXORELAY_BUFFER_OVERFLOW` …). */
export class StreamFailedError extends BrowserRelayError {
  constructor(
    readonly messageName: string,
    /** The code the bridge sent in its `error` event. */
    readonly serverCode: string,
    message: string,
  ) {
    super(BrowserErrorCode.StreamFailed, message);
    this.name = 'StreamFailedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.StreamFailed);
  }
}

/** A reply stream was iterated after the tick it was sent in: by then the client had stopped reading its replies. */
export class StreamDetachedError extends BrowserRelayError {
  constructor(readonly messageName: string) {
    super(
      BrowserErrorCode.StreamDetached,
      `the reply stream of '${messageName}' was not read in the tick it was sent, so its replies were not kept: start iterating it right away`,
    );
    this.name = 'StreamDetachedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.StreamDetached);
  }
}

/** `send` or `request` was called with what cannot be sent: no name, a reserved name, a payload that is not JSON. */
export class InvalidArgumentError extends BrowserRelayError {
  constructor(message: string, options?: ErrorOptions) {
    super(BrowserErrorCode.InvalidArgument, message, options);
    this.name = 'InvalidArgumentError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, BrowserErrorCode.InvalidArgument);
  }
}
