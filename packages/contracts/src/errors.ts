import { type CodedError, defineErrorFamily } from '@exorelay/protocol';

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

/** Base class of every `@exorelay/contracts` error. */
export const ContractsError = defineErrorFamily<ContractsErrorCode>('exorelay.contracts.error', 'ContractsError');
export type ContractsError = CodedError<ContractsErrorCode>;

/** Whether `value` is an error of `@exorelay/contracts`, from this installed copy or another. */
export const isContractsError = ContractsError.is;

/** `defineContracts` was given a declaration it cannot work with; `problem` says what to fix. */
export class ContractDefinitionError extends ContractsError.withCode(
  ContractsErrorCode.Definition,
  'ContractDefinitionError',
) {
  constructor(
    /** The message whose declaration is wrong; `undefined` when the whole argument is. */
    readonly messageName: string | undefined,
    readonly problem: string,
  ) {
    const where = messageName === undefined ? 'contracts' : `the contract of '${messageName}'`;
    super(`${where}: ${problem}`);
  }
}

/** A schema cannot be turned into JSON Schema; `cause` holds what the validator threw, if it did. */
export class SchemaExportError extends ContractsError.withCode(ContractsErrorCode.SchemaExport, 'SchemaExportError') {
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
    super(`cannot export the ${vendor} schema of the ${subject} to JSON Schema: ${reason}`, options);
  }
}

/** The CLI could not load contracts from the module it was given. */
export class ContractsModuleError extends ContractsError.withCode(
  ContractsErrorCode.ContractsModule,
  'ContractsModuleError',
) {
  constructor(
    readonly modulePath: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`${modulePath}: ${problem}`, options);
  }
}

/** The CLI was called with arguments it does not understand. */
export class UsageError extends ContractsError.withCode(ContractsErrorCode.Usage, 'UsageError') {}
