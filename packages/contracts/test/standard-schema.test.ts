import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineContracts } from '../src/index.js';

describe('validation through Standard Schema', () => {
  it.each([
    { vendor: 'zod', schema: z.object({ items: z.array(z.object({ price: z.number() })) }) },
    { vendor: 'valibot', schema: v.object({ items: v.array(v.object({ price: v.number() })) }) },
    { vendor: 'arktype', schema: type({ items: type({ price: 'number' }).array() }) },
  ])('accepts and refuses payloads with $vendor, naming where the issue is', async ({ schema }) => {
    const contracts = defineContracts({ order: { payload: schema } });
    expect(await contracts.validatePayload('order', { items: [{ price: 3 }] })).toEqual({
      ok: true,
      value: { items: [{ price: 3 }] },
    });
    const refused = await contracts.validatePayload('order', { items: [{ price: 3 }, { price: 'free' }] });
    expect(refused).toMatchObject({ ok: false, issues: [expect.stringMatching(/^items\.1\.price: .*number/)] });
  });

  it('returns the schema output, so transforms and defaults reach the handler', () => {
    const contracts = defineContracts({
      search: { payload: z.object({ query: z.string().trim(), limit: z.number().default(10) }) },
    });
    expect(contracts.validatePayload('search', { query: '  ships ' })).toEqual({
      ok: true,
      value: { query: 'ships', limit: 10 },
    });
  });

  it('stays synchronous for synchronous schemas and awaits asynchronous ones', async () => {
    const contracts = defineContracts({
      sync: { payload: z.string() },
      async: { payload: z.string().refine(async (name) => name !== 'taken', 'name is taken') },
    });
    expect(contracts.validatePayload('sync', 'a')).toEqual({ ok: true, value: 'a' });
    const pending = contracts.validatePayload('async', 'taken');
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual({ ok: false, issues: ['name is taken'] });
  });

  it('accepts a hand-written Standard Schema, even one that answers with a thenable of another library', async () => {
    const answer = (result: StandardSchemaV1.Result<number>) =>
      // biome-ignore lint/suspicious/noThenProperty: the point is a thenable that is not a native promise
      ({ then: (resolve: (value: typeof result) => void) => resolve(result) }) as unknown as Promise<typeof result>;
    const evenNumber: StandardSchemaV1<number> = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: (value) =>
          answer(
            typeof value === 'number' && value % 2 === 0
              ? { value }
              : { issues: [{ message: 'expected an even number', path: ['count'] }] },
          ),
      },
    };
    const contracts = defineContracts({ 'pairs.count': { payload: evenNumber } });
    expect(await contracts.validatePayload('pairs.count', 4)).toEqual({ ok: true, value: 4 });
    expect(await contracts.validatePayload('pairs.count', 3)).toEqual({
      ok: false,
      issues: ['count: expected an even number'],
    });
  });

  it('refuses a payload for a message declared without one, and a missing one where it is required', () => {
    const contracts = defineContracts({ 'users.list': {}, 'users.get': { payload: z.object({ id: z.string() }) } });
    expect(contracts.validatePayload('users.list', undefined)).toEqual({ ok: true, value: undefined });
    expect(contracts.validatePayload('users.list', { page: 2 })).toEqual({
      ok: false,
      issues: ['expected no payload, got an object'],
    });
    expect(contracts.validatePayload('users.get', undefined)).toEqual({
      ok: false,
      issues: ['Invalid input: expected object, received undefined'],
    });
  });

  it('validates replies per outcome; a reply without payload must come without one', () => {
    const contracts = defineContracts({
      'file.copy': { replies: { 'file.copying': z.number().min(0), 'file.copied': null }, progress: ['file.copying'] },
      'file.deleted': { payload: z.string() },
    });
    expect(contracts.validateReply('file.copy', 'file.copying', 40)).toEqual({ ok: true, value: 40 });
    expect(contracts.validateReply('file.copy', 'file.copying', -1)).toEqual({
      ok: false,
      issues: ['Too small: expected number to be >=0'],
    });
    expect(contracts.validateReply('file.copy', 'file.copied', 'done')).toEqual({
      ok: false,
      issues: ['expected no payload, got string "done"'],
    });
    expect(contracts.validateReply('file.deleted', 'file.restored', undefined)).toEqual({
      ok: false,
      issues: ["'file.deleted' is an event: it gets no replies, but got 'file.restored'"],
    });
  });

  it('leaves undeclared names and the protocol’s own replies to the relay', () => {
    const contracts = defineContracts({ 'file.copy': { replies: { 'file.copied': null } } });
    expect(contracts.validatePayload('file.move', { anything: true })).toBeUndefined();
    expect(contracts.validateReply('file.move', 'file.moved', 1)).toBeUndefined();
    expect(contracts.validateReply('file.copy', 'exo.error', { code: 'HANDLER_FAILED', message: 'x' })).toBeUndefined();
  });
});
