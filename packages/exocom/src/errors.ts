import { type CodedError, defineErrorFamily } from '@exorelay/protocol';

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

/** Base class of every ExoCom error. */
export const ExoComError = defineErrorFamily<ExoComErrorCode>('exocom.error', 'ExoComError');
export type ExoComError = CodedError<ExoComErrorCode>;

/** Whether `value` is an ExoCom error, from this installed copy or another. */
export const isExoComError = ExoComError.is;

/** The options or the landscape configuration cannot be used; `path` says where (`services[1].port`). */
export class ConfigError extends ExoComError.withCode(ExoComErrorCode.Config, 'ConfigError') {
  constructor(
    message: string,
    readonly path?: string,
    options?: ErrorOptions,
  ) {
    super(path === undefined ? message : `${path} ${message}`, options);
  }
}

/** The bus could not listen because another process holds its port. */
export class PortInUseError extends ExoComError.withCode(ExoComErrorCode.PortInUse, 'PortInUseError') {
  constructor(
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(`port ${port} is already in use`, options);
  }
}

/** A wait (`waitForInstance`) ran out of time. */
export class TimeoutError extends ExoComError.withCode(ExoComErrorCode.Timeout, 'TimeoutError') {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

/**
 * A message could not be delivered to an instance: it was unreachable or answered with an
 * error status, even after retrying. Reported in the flow log (`FlowEvent.error`), never thrown
 * at a caller; the requester gets an `exo.error` reply with code `DELIVERY_FAILED`.
 */
export class DeliveryFailedError extends ExoComError.withCode(ExoComErrorCode.DeliveryFailed, 'DeliveryFailedError') {
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
    super(`could not deliver '${messageName}' to ${serviceName} at ${instance}: ${reason}`, options);
  }
}
