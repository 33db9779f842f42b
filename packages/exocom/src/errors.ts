/**
 * Every error ExoCom raises is an {@link ExoComError} with a stable `code`. Match on `err.code`
 * (or `instanceof`, which works across duplicate installs thanks to a `Symbol.for` brand); the
 * message text is for humans and may improve over time.
 */
export const ExoComErrorCode = {
  Config: 'EXOCOM_CONFIG',
  PortInUse: 'EXOCOM_PORT_IN_USE',
  Timeout: 'EXOCOM_TIMEOUT',
  DeliveryFailed: 'EXOCOM_DELIVERY_FAILED',
} as const;
export type ExoComErrorCode = (typeof ExoComErrorCode)[keyof typeof ExoComErrorCode];

const brand = Symbol.for('exocom.error');

function brandOf(code: ExoComErrorCode): symbol {
  return Symbol.for(`exocom.error.${code}`);
}

function hasBrand(instance: unknown, key: symbol): boolean {
  return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[key] === true;
}

/** Base class of every ExoCom error. */
export class ExoComError extends Error {
  readonly code: ExoComErrorCode;

  constructor(code: ExoComErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExoComError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, brandOf(code), { value: true });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brand);
  }
}

export function isExoComError(value: unknown): value is ExoComError {
  return value instanceof ExoComError;
}

/** The options or the landscape configuration cannot be used; `path` says where (`services[1].port`). */
export class ConfigError extends ExoComError {
  constructor(
    message: string,
    readonly path?: string,
    options?: ErrorOptions,
  ) {
    super(ExoComErrorCode.Config, path === undefined ? message : `${path} ${message}`, options);
    this.name = 'ConfigError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(ExoComErrorCode.Config));
  }
}

/** The bus could not listen because another process holds its port. */
export class PortInUseError extends ExoComError {
  constructor(
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(ExoComErrorCode.PortInUse, `port ${port} is already in use`, options);
    this.name = 'PortInUseError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(ExoComErrorCode.PortInUse));
  }
}

/** A wait (`waitForInstance`) ran out of time. */
export class TimeoutError extends ExoComError {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(ExoComErrorCode.Timeout, `timed out after ${timeoutMs} ms waiting for ${what}`);
    this.name = 'TimeoutError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(ExoComErrorCode.Timeout));
  }
}

/**
 * A message could not be delivered to an instance: it was unreachable or answered with an
 * error status, even after retrying. Reported in the flow log (`FlowEvent.error`), never thrown
 * at a caller; the requester gets an `exo.error` reply with code `DELIVERY_FAILED`.
 */
export class DeliveryFailedError extends ExoComError {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    readonly serviceName: string,
    /** `host:port` of the instance that was tried. */
    readonly instance: string,
    readonly reason: string,
    /** The HTTP status the instance answered with; absent when it could not be reached. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(
      ExoComErrorCode.DeliveryFailed,
      `could not deliver '${messageName}' to ${serviceName} at ${instance}: ${reason}`,
      options,
    );
    this.name = 'DeliveryFailedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(ExoComErrorCode.DeliveryFailed));
  }
}
