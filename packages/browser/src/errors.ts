import { type CodedError, defineErrorFamily } from '@exorelay/protocol';

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

/** Base class of every `@exorelay/browser` error. */
export const BrowserRelayError = defineErrorFamily<BrowserErrorCode>('exorelay.browser.error', 'BrowserRelayError');
export type BrowserRelayError = CodedError<BrowserErrorCode>;

/** Whether `value` is an error of `@exorelay/browser`, from this bundle or another. */
export const isBrowserRelayError = BrowserRelayError.is;

/** No final reply arrived within the `timeout` of `request()` or `send()`. */
export class TimeoutError extends BrowserRelayError.withCode(BrowserErrorCode.Timeout, 'TimeoutError') {
  constructor(
    readonly messageName: string,
    readonly timeoutMs: number,
  ) {
    super(`message '${messageName}' timed out: no final reply within ${timeoutMs} ms`);
  }
}

/** The caller's `AbortSignal` fired; `cause` holds the signal's reason. */
export class AbortedError extends BrowserRelayError.withCode(BrowserErrorCode.Aborted, 'AbortedError') {
  constructor(
    readonly messageName: string,
    options?: ErrorOptions,
  ) {
    super(`message '${messageName}' was aborted`, options);
  }
}

/** The receiving service answered `exo.error`: its handler failed, or the message broke its contract. */
export class RemoteError extends BrowserRelayError.withCode(BrowserErrorCode.Remote, 'RemoteError') {
  constructor(
    readonly messageName: string,
    /** The wire code, e.g. `HANDLER_FAILED`, `INVALID_PAYLOAD`, `DELIVERY_FAILED`. */
    readonly remoteCode: string,
    message: string,
    readonly details?: unknown,
    /** Names the failure in the server's logs, where its full text stays; quote it when reporting it. */
    readonly correlationId?: string,
  ) {
    super(correlationId === undefined ? message : `${message}; correlation id ${correlationId}`);
  }
}

/** No service receives the message, so no reply can ever come. */
export class NoRespondersError extends BrowserRelayError.withCode(BrowserErrorCode.NoResponders, 'NoRespondersError') {
  constructor(readonly messageName: string) {
    super(`no service receives message '${messageName}'`);
  }
}

/** The payload does not satisfy the message's contract; checked in the page, before anything is sent. */
export class ContractViolationError extends BrowserRelayError.withCode(
  BrowserErrorCode.ContractViolation,
  'ContractViolationError',
) {
  constructor(
    readonly messageName: string,
    /** Readable schema issues, one per entry. */
    readonly issues: readonly string[],
  ) {
    super(`payload of '${messageName}' breaks its contract:\n  - ${issues.join('\n  - ')}`);
  }
}

/** The client was closed while the operation was open, or used after `close()`. */
export class ClientClosedError extends BrowserRelayError.withCode(BrowserErrorCode.Closed, 'ClientClosedError') {
  constructor() {
    super('the browser relay is closed');
  }
}

/**
 * The bridge answered with an error status: 401 (not authenticated), 403 (message not public),
 * 413 (body too large), 400 (bad body), 422 (the server's contracts refused the payload), 5xx.
 */
export class RefusedError extends BrowserRelayError.withCode(BrowserErrorCode.Refused, 'RefusedError') {
  constructor(
    /** The message name, or `'events'` for the event stream. */
    readonly messageName: string,
    readonly status: number,
    /** The bridge's plain-text reason. */
    readonly reason: string,
  ) {
    super(`the bridge refused '${messageName}' with status ${status}: ${reason}`);
  }
}

/** The bridge could not be reached, or the connection broke before the reply stream ended; `cause` says why. */
export class BridgeConnectionError extends BrowserRelayError.withCode(
  BrowserErrorCode.BridgeConnection,
  'BridgeConnectionError',
) {
  constructor(
    readonly url: string,
    options?: ErrorOptions,
  ) {
    super(`the connection to the bridge at ${url} failed or broke`, options);
  }
}

/** The server's reply stream failed for a reason of its own (`serverCode`: `EXORELAY_TIMEOUT`, `EXORELAY_BUFFER_OVERFLOW` …). */
export class StreamFailedError extends BrowserRelayError.withCode(BrowserErrorCode.StreamFailed, 'StreamFailedError') {
  constructor(
    readonly messageName: string,
    /** The code the bridge sent in its `error` event. */
    readonly serverCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** A reply stream was iterated after the tick it was sent in: by then the client had stopped reading its replies. */
export class StreamDetachedError extends BrowserRelayError.withCode(
  BrowserErrorCode.StreamDetached,
  'StreamDetachedError',
) {
  constructor(readonly messageName: string) {
    super(
      `the reply stream of '${messageName}' was not read in the tick it was sent, so its replies were not kept: start iterating it right away`,
    );
  }
}

/** `send` or `request` was called with what cannot be sent: no name, a reserved name, a payload that is not JSON. */
export class InvalidArgumentError extends BrowserRelayError.withCode(
  BrowserErrorCode.InvalidArgument,
  'InvalidArgumentError',
) {}
