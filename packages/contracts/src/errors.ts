/**
 * Every error `@exorelay/contracts` raises is a {@link ContractsError} with a stable `code`.
 * Match on `err.code` (or `instanceof`, which holds across duplicate installs thanks to a
 * `Symbol.for` brand); the message is for humans and may improve over time. Messages that
 * break their contract at run time are the relay's `ContractViolationError` (`exorelay`).
 */
export const ContractsErrorCode = {
  Definition: 'EXORELAY_CONTRACT_DEFINITION',
  SchemaExport: 'EXORELAY_SCHEMA_EXPORT',
  ContractsModule: 'EXORELAY_CONTRACTS_MODULE',
  Usage: 'EXORELAY_CONTRACTS_USAGE',
} as const;
export type ContractsErrorCode = (typeof ContractsErrorCode)[keyof typeof ContractsErrorCode];

const brand = Symbol.for('exorelay.contracts.error');

function brandOf(code: ContractsErrorCode): symbol {
  return Symbol.for(`exorelay.contracts.error.${code}`);
}

function hasBrand(instance: unknown, code: ContractsErrorCode): boolean {
  return (
    typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brandOf(code)] === true
  );
}

/** Base class of every `@exorelay/contracts` error. */
export class ContractsError extends Error {
  readonly code: ContractsErrorCode;

  constructor(code: ContractsErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContractsError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, brandOf(code), { value: true });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brand] === true;
  }
}

export function isContractsError(value: unknown): value is ContractsError {
  return value instanceof ContractsError;
}

/** `defineContracts` was given a declaration it cannot work with; `problem` says what to fix. */
export class ContractDefinitionError extends ContractsError {
  constructor(
    /** The message whose declaration is wrong; `undefined` when the whole argument is. */
    readonly messageName: string | undefined,
    readonly problem: string,
  ) {
    const where = messageName === undefined ? 'contracts' : `the contract of '${messageName}'`;
    super(ContractsErrorCode.Definition, `${where}: ${problem}`);
    this.name = 'ContractDefinitionError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ContractsErrorCode.Definition);
  }
}

/** A schema cannot be turned into JSON Schema; `cause` holds what the validator threw, if it did. */
export class SchemaExportError extends ContractsError {
  constructor(
    readonly messageName: string,
    /** The reply outcome whose schema failed; `undefined` for the message's own payload. */
    readonly outcome: string | undefined,
    /** The validator library that made the schema (`'zod'`, `'valibot'` …). */
    readonly vendor: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    const subject = outcome === undefined ? `payload of '${messageName}'` : `reply '${outcome}' to '${messageName}'`;
    super(
      ContractsErrorCode.SchemaExport,
      `cannot export the ${vendor} schema of the ${subject} to JSON Schema: ${reason}`,
      options,
    );
    this.name = 'SchemaExportError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ContractsErrorCode.SchemaExport);
  }
}

/** The CLI could not load contracts from the module it was given. */
export class ContractsModuleError extends ContractsError {
  constructor(
    readonly modulePath: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(ContractsErrorCode.ContractsModule, `${modulePath}: ${problem}`, options);
    this.name = 'ContractsModuleError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ContractsErrorCode.ContractsModule);
  }
}

/** The CLI was called with arguments it does not understand. */
export class UsageError extends ContractsError {
  constructor(message: string, options?: ErrorOptions) {
    super(ContractsErrorCode.Usage, message, options);
    this.name = 'UsageError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ContractsErrorCode.Usage);
  }
}
