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

const brand = Symbol.for('exoservice.error');

function brandOf(code: ExoServiceErrorCode): symbol {
  return Symbol.for(`exoservice.error.${code}`);
}

function hasBrand(instance: unknown, key: symbol): boolean {
  return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[key] === true;
}

/** Base class of every error of `@exorelay/service`. */
export class ExoServiceError extends Error {
  readonly code: ExoServiceErrorCode;

  constructor(code: ExoServiceErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExoServiceError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, brandOf(code), { value: true });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brand);
  }
}

export function isExoServiceError(value: unknown): value is ExoServiceError {
  return value instanceof ExoServiceError;
}

/** A setting from the environment, a flag or a manifest cannot be used; `setting` names it (`EXOCOM_PORT`). */
export class ConfigError extends ExoServiceError {
  constructor(
    message: string,
    readonly setting?: string,
    options?: ErrorOptions,
  ) {
    super(ExoServiceErrorCode.Config, message, options);
    this.name = 'ConfigError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(ExoServiceErrorCode.Config));
  }
}

/** The service module does not export a usable `defineService(…)`, or its handlers miss a name it receives. */
export class InvalidDefinitionError extends ExoServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super(ExoServiceErrorCode.InvalidDefinition, message, options);
    this.name = 'InvalidDefinitionError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(ExoServiceErrorCode.InvalidDefinition));
  }
}

/** `beforeAll` or `afterAll` threw; the original error is the `cause`. */
export class HookFailedError extends ExoServiceError {
  constructor(
    readonly hook: 'beforeAll' | 'afterAll',
    readonly serviceName: string,
    options: ErrorOptions & { cause: unknown },
  ) {
    super(
      ExoServiceErrorCode.HookFailed,
      `${hook} of service '${serviceName}' failed: ${describe(options.cause)}`,
      options,
    );
    this.name = 'HookFailedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(ExoServiceErrorCode.HookFailed));
  }
}

/** A handler sent a message its service does not declare in `sends`. */
export class UndeclaredMessageError extends ExoServiceError {
  constructor(
    readonly messageName: string,
    readonly serviceName: string,
  ) {
    super(
      ExoServiceErrorCode.UndeclaredMessage,
      `service '${serviceName}' sent '${messageName}', which is not in its sends: add it to the manifest or the definition`,
    );
    this.name = 'UndeclaredMessageError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(ExoServiceErrorCode.UndeclaredMessage));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
