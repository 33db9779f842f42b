import { describe, expect, it } from 'vitest';
import { ContractsModuleError, UsageError } from '../src/errors.js';
import {
  ContractDefinitionError,
  ContractsError,
  ContractsErrorCode,
  isContractsError,
  SchemaExportError,
} from '../src/index.js';

describe('errors', () => {
  it.each([
    {
      error: new ContractDefinitionError('ping', 'durable must be true or false'),
      name: 'ContractDefinitionError',
      code: 'EXORELAY_CONTRACT_DEFINITION',
      message: "the contract of 'ping': durable must be true or false",
    },
    {
      error: new ContractDefinitionError(undefined, 'defineContracts needs an object'),
      name: 'ContractDefinitionError',
      code: 'EXORELAY_CONTRACT_DEFINITION',
      message: 'contracts: defineContracts needs an object',
    },
    {
      error: new SchemaExportError('ping', 'pong', 'valibot', 'no JSON Schema'),
      name: 'SchemaExportError',
      code: 'EXORELAY_SCHEMA_EXPORT',
      message: "cannot export the valibot schema of the reply 'pong' to 'ping' to JSON Schema: no JSON Schema",
    },
    {
      error: new ContractsModuleError('./contracts.ts', 'no such file'),
      name: 'ContractsModuleError',
      code: 'EXORELAY_CONTRACTS_MODULE',
      message: './contracts.ts: no such file',
    },
    {
      error: new UsageError('--format must be asyncapi or jsonschema'),
      name: 'UsageError',
      code: 'EXORELAY_CONTRACTS_USAGE',
      message: '--format must be asyncapi or jsonschema',
    },
  ])('$name carries code $code and an actionable message', ({ error, name, code, message }) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ContractsError);
    expect(isContractsError(error)).toBe(true);
    expect(error).toMatchObject({ name, code, message });
    expect(Object.values(ContractsErrorCode)).toContain(code);
  });

  it('keeps instanceof working for an error made by another installed copy', () => {
    // A copy of the package has its own classes but shares the Symbol.for brands.
    const fromOtherCopy = Object.defineProperties(new Error('x'), {
      [Symbol.for('exorelay.contracts.error')]: { value: true },
      [Symbol.for('exorelay.contracts.error.EXORELAY_SCHEMA_EXPORT')]: { value: true },
    });
    expect(fromOtherCopy).toBeInstanceOf(ContractsError);
    expect(fromOtherCopy).toBeInstanceOf(SchemaExportError);
    expect(fromOtherCopy).not.toBeInstanceOf(ContractDefinitionError);
    expect(new Error('x')).not.toBeInstanceOf(ContractsError);
  });

  it('keeps the cause', () => {
    const cause = new Error('Date cannot be represented in JSON Schema');
    expect(new SchemaExportError('m', undefined, 'zod', cause.message, { cause }).cause).toBe(cause);
  });
});
