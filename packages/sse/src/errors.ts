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
} as const;
export type SSEErrorCode = (typeof SSEErrorCode)[keyof typeof SSEErrorCode];

const brand = Symbol.for('exorelay.sse.error');

function brandOf(code: SSEErrorCode): symbol {
  return Symbol.for(`exorelay.sse.error.${code}`);
}

function hasBrand(instance: unknown, code: SSEErrorCode): boolean {
  return (
    typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brandOf(code)] === true
  );
}

/** Base class of every `@exorelay/sse` error. */
export class SSEError extends Error {
  readonly code: SSEErrorCode;

  constructor(code: SSEErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SSEError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, brandOf(code), { value: true });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brand] === true;
  }
}

export function isSSEError(value: unknown): value is SSEError {
  return value instanceof SSEError;
}

/** `createFrontendBridge` or `pipeToSSE` was given options they cannot work with. */
export class SSEConfigError extends SSEError {
  constructor(message: string, options?: ErrorOptions) {
    super(SSEErrorCode.Config, message, options);
    this.name = 'SSEConfigError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, SSEErrorCode.Config);
  }
}

/** The bridge's `authorize` hook threw or rejected; the browser got a 500. `cause` holds what it threw. */
export class AuthorizeFailedError extends SSEError {
  constructor(
    /** The request path, e.g. `/bridge/send/users.create`. */
    readonly path: string,
    options: ErrorOptions,
  ) {
    super(SSEErrorCode.AuthorizeFailed, `authorize() failed for ${path}: ${describe(options.cause)}`, options);
    this.name = 'AuthorizeFailedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, SSEErrorCode.AuthorizeFailed);
  }
}

/**
 * The bridge could not serve a browser's request for a reason on the server's side (the bus
 * refused the message or could not be reached …); the browser got a 5xx. `cause` holds why.
 */
export class BridgeRequestError extends SSEError {
  constructor(
    readonly messageName: string,
    /** The HTTP status the browser got. */
    readonly status: number,
    options: ErrorOptions,
  ) {
    super(
      SSEErrorCode.RequestFailed,
      `the bridge answered '${messageName}' with ${status}: ${describe(options.cause)}`,
      options,
    );
    this.name = 'BridgeRequestError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, SSEErrorCode.RequestFailed);
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
