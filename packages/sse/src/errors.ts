import { type CodedError, defineErrorFamily } from '@exorelay/protocol';

/**
 * Every error `@exorelay/sse` raises is an {@link SSEError} with a stable `code`. Match on
 * `err.code` (or `instanceof`, which holds across duplicate installs thanks to a `Symbol.for`
 * brand); the message is for humans and may improve over time. Failures of the relay itself
 * (timeouts, remote errors …) are the `exorelay` errors, forwarded to browsers as `error` events.
 */
export const SSEErrorCode = {
  Config: 'EXORELAY_SSE_CONFIG',
  AuthorizeFailed: 'EXORELAY_SSE_AUTHORIZE_FAILED',
  RequestFailed: 'EXORELAY_SSE_REQUEST_FAILED',
  ReplyFailed: 'EXORELAY_SSE_REPLY_FAILED',
} as const;
export type SSEErrorCode = (typeof SSEErrorCode)[keyof typeof SSEErrorCode];

/** Base class of every `@exorelay/sse` error. */
export const SSEError = defineErrorFamily<SSEErrorCode>('exorelay.sse.error', 'SSEError');
export type SSEError = CodedError<SSEErrorCode>;

/** Whether `value` is an error of `@exorelay/sse`, from this installed copy or another. */
export const isSSEError = SSEError.is;

/** `createFrontendBridge` or `pipeToSSE` was given options they cannot work with. */
export class SSEConfigError extends SSEError.withCode(SSEErrorCode.Config, 'SSEConfigError') {}

/** The bridge's `authorize` hook threw or rejected; the browser got a 500. `cause` holds what it threw. */
export class AuthorizeFailedError extends SSEError.withCode(SSEErrorCode.AuthorizeFailed, 'AuthorizeFailedError') {
  constructor(
    /** The request path, e.g. `/bridge/send/users.create`. */
    readonly path: string,
    options: ErrorOptions,
  ) {
    super(`authorize() failed for ${path}: ${describe(options.cause)}`, options);
  }
}

/**
 * The bridge could not serve a browser's request for a reason on the server's side (the bus
 * refused the message or could not be reached …); the browser got a 5xx. `cause` holds why.
 */
export class BridgeRequestError extends SSEError.withCode(SSEErrorCode.RequestFailed, 'BridgeRequestError') {
  constructor(
    readonly messageName: string,
    /** The HTTP status the browser got. */
    readonly status: number,
    options: ErrorOptions,
  ) {
    super(`the bridge answered '${messageName}' with ${status}: ${describe(options.cause)}`, options);
  }
}

/**
 * A reply stream the bridge forwarded to a browser failed. The browser got only the code, a
 * generic text and `correlationId`; this error, with the full failure as `cause`, is for the
 * server's logs.
 */
export class ReplyFailedError extends SSEError.withCode(SSEErrorCode.ReplyFailed, 'ReplyFailedError') {
  constructor(
    readonly messageName: string,
    /** Also in the browser's `error` event. */
    readonly correlationId: string,
    options: ErrorOptions,
  ) {
    super(
      `the reply stream of '${messageName}' failed (correlation id ${correlationId}): ${describe(options.cause)}`,
      options,
    );
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
