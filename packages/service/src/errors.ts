import { type CodedError, defineErrorFamily } from '@exorelay/protocol';

/**
 * Every error `@exorelay/service` raises is an {@link ExoServiceError} with a stable `code`.
 * Match on `err.code` (or `instanceof`, which works across duplicate installs thanks to a
 * `Symbol.for` brand); the message text is for humans and may improve over time.
 */
export const ExoServiceErrorCode = {
  Config: 'EXOSERVICE_CONFIG',
  InvalidDefinition: 'EXOSERVICE_INVALID_DEFINITION',
  HookFailed: 'EXOSERVICE_HOOK_FAILED',
  UndeclaredMessage: 'EXOSERVICE_UNDECLARED_MESSAGE',
} as const;
export type ExoServiceErrorCode = (typeof ExoServiceErrorCode)[keyof typeof ExoServiceErrorCode];

/** Base class of every error of `@exorelay/service`. */
export const ExoServiceError = defineErrorFamily<ExoServiceErrorCode>('exoservice.error', 'ExoServiceError');
export type ExoServiceError = CodedError<ExoServiceErrorCode>;

/** Whether `value` is an error of `@exorelay/service`, from this installed copy or another. */
export const isExoServiceError = ExoServiceError.is;

/** A setting from the environment, a flag or a manifest cannot be used; `setting` names it (`EXOCOM_PORT`). */
export class ConfigError extends ExoServiceError.withCode(ExoServiceErrorCode.Config, 'ConfigError') {
  constructor(
    message: string,
    readonly setting?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The service module does not export a usable `defineService(…)`, or its handlers miss a name it receives. */
export class InvalidDefinitionError extends ExoServiceError.withCode(
  ExoServiceErrorCode.InvalidDefinition,
  'InvalidDefinitionError',
) {}

/** `beforeAll` or `afterAll` threw; the original error is the `cause`. */
export class HookFailedError extends ExoServiceError.withCode(ExoServiceErrorCode.HookFailed, 'HookFailedError') {
  constructor(
    readonly hook: 'beforeAll' | 'afterAll',
    readonly serviceName: string,
    options: ErrorOptions & { cause: unknown },
  ) {
    super(`${hook} of service '${serviceName}' failed: ${describe(options.cause)}`, options);
  }
}

/** A handler sent a message its service does not declare in `sends`. */
export class UndeclaredMessageError extends ExoServiceError.withCode(
  ExoServiceErrorCode.UndeclaredMessage,
  'UndeclaredMessageError',
) {
  constructor(
    readonly messageName: string,
    readonly serviceName: string,
  ) {
    super(
      `service '${serviceName}' sent '${messageName}', which is not in its sends: add it to the manifest or the definition`,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
