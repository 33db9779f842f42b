import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type ContractDeclarations, ContractDefinitionError, defineContracts, isContracts } from '../src/index.js';

/** Bypasses the compile-time checks, as plain JavaScript or a computed declaration would. */
const defineUnchecked = (declarations: unknown) => defineContracts(declarations as ContractDeclarations);

describe('defineContracts', () => {
  it.each([
    { case: 'a non-object', declarations: 'users.create', problem: 'contracts: defineContracts needs an object' },
    { case: 'an empty name', declarations: { '': {} }, problem: 'a message name cannot be empty' },
    { case: 'a reserved name', declarations: { 'exo.ping': {} }, problem: "names starting with 'exo.' are reserved" },
    {
      case: 'a declaration that is no object',
      declarations: { ping: 'string' },
      problem: 'the declaration must be an object',
    },
    { case: 'an unknown key', declarations: { ping: { reply: {} } }, problem: "unknown key 'reply'" },
    {
      case: 'a payload that is no schema',
      declarations: { ping: { payload: 'string' } },
      problem: 'payload must be a Standard Schema v1',
    },
    {
      case: 'replies that are no object',
      declarations: { ping: { replies: ['pong'] } },
      problem: 'replies must be an object',
    },
    {
      case: 'a reply that is no schema',
      declarations: { ping: { replies: { pong: {} } } },
      problem: "reply 'pong' must be a Standard Schema",
    },
    {
      case: 'a reserved outcome',
      declarations: { ping: { replies: { 'exo.error': null } } },
      problem: "outcome 'exo.error'",
    },
    {
      case: 'an empty outcome',
      declarations: { ping: { replies: { '': null } } },
      problem: 'an outcome name cannot be empty',
    },
    {
      case: 'progress that is no array',
      declarations: { ping: { replies: { pong: null }, progress: 'pong' } },
      problem: 'progress must be an array',
    },
    {
      case: 'an undeclared progress outcome',
      declarations: { ping: { replies: { pong: null }, progress: ['pung'] } },
      problem: "progress outcome 'pung' is not one of its replies",
    },
    {
      case: 'only progress outcomes',
      declarations: { ping: { replies: { pong: null }, progress: ['pong'] } },
      problem: 'declare at least one final outcome',
    },
    {
      case: 'a durable flag that is no boolean',
      declarations: { ping: { durable: 'yes' } },
      problem: 'durable must be true or false',
    },
    {
      case: 'a description that is no string',
      declarations: { ping: { description: 3 } },
      problem: 'description must be a string',
    },
  ])('refuses $case with a ContractDefinitionError', ({ declarations, problem }) => {
    let thrown: unknown;
    try {
      defineUnchecked(declarations);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractDefinitionError);
    expect(thrown).toMatchObject({ code: 'EXORELAY_CONTRACT_DEFINITION' });
    expect((thrown as Error).message).toContain(problem);
  });

  it('names the message whose declaration is wrong', () => {
    expect(() => defineUnchecked({ ok: {}, broken: { payload: 1 } })).toThrow(
      expect.objectContaining({ messageName: 'broken', message: expect.stringMatching(/^the contract of 'broken': /) }),
    );
  });

  it('describes every message in declaration order, for exporters', () => {
    const contracts = defineContracts({
      'file.copy': {
        description: 'Copies a file',
        payload: z.object({ from: z.string() }),
        replies: { 'file.copying': z.number(), 'file.copied': null },
        progress: ['file.copying'],
      },
      'file.deleted': { payload: z.string(), durable: true },
    });
    expect(isContracts(contracts)).toBe(true);
    expect(contracts.messages.map(({ name, durable, description }) => ({ name, durable, description }))).toEqual([
      { name: 'file.copy', durable: false, description: 'Copies a file' },
      { name: 'file.deleted', durable: true, description: undefined },
    ]);
    expect(contracts.message('file.copy')?.replies.map(({ outcome, progress }) => ({ outcome, progress }))).toEqual([
      { outcome: 'file.copying', progress: true },
      { outcome: 'file.copied', progress: false },
    ]);
    expect(contracts.message('file.deleted')?.replies).toEqual([]);
    expect(contracts.message('file.moved')).toBeUndefined();
  });

  it('tells final from progress outcomes, and durable messages, by name', () => {
    const contracts = defineContracts({
      'file.read': {
        replies: { 'file.read-chunk': z.string(), 'file.read-done': null },
        progress: ['file.read-chunk'],
      },
      'file.deleted': { payload: z.string(), durable: true },
    });
    expect(contracts.isFinal('file.read', 'file.read-chunk')).toBe(false);
    expect(contracts.isFinal('file.read', 'file.read-done')).toBe(true);
    expect(contracts.isFinal('file.read', 'file.gone')).toBeUndefined();
    expect(contracts.isFinal('file.write', 'file.written')).toBeUndefined();
    expect(contracts.isDurable('file.deleted')).toBe(true);
    expect(contracts.isDurable('file.read')).toBe(false);
    expect(contracts.isDurable('file.write')).toBe(false);
  });

  it('is recognised across installed copies by its Symbol.for brand, and nothing else is', () => {
    const contracts = defineContracts({ ping: {} });
    expect(isContracts(contracts)).toBe(true);
    expect(isContracts({ ...contracts })).toBe(false);
    expect(isContracts({ [Symbol.for('exorelay.contracts')]: true })).toBe(true);
    expect(isContracts(null)).toBe(false);
  });
});
