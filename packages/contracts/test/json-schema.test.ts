import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineContracts, SchemaExportError, toJSONSchema } from '../src/index.js';
import { contracts } from './support/contracts.js';

describe('toJSONSchema', () => {
  it('exports one JSON Schema per message and per reply, with progress and durability', () => {
    const { messages } = toJSONSchema(contracts);
    expect(Object.keys(messages)).toEqual(['users.create', 'users.list', 'file.copy', 'users.deleted']);
    expect(messages['file.copy']).toMatchObject({
      durable: false,
      payload: { type: 'object', required: ['from', 'to'] },
      replies: {
        'file.copying': { progress: true, payload: { type: 'object', required: ['percent'] } },
        'file.copied': { progress: false },
      },
    });
    expect(messages['file.copy']?.replies['file.copied']).not.toHaveProperty('payload');
    expect(messages['users.list']).not.toHaveProperty('payload');
    expect(messages['users.deleted']).toMatchObject({ durable: true, replies: {} });
  });

  it('writes schemas a JSON Schema validator enforces the way the contract does', () => {
    const { messages } = toJSONSchema(contracts);
    const ajv = new Ajv2020({ strict: false });
    const payload = ajv.compile(messages['users.create']?.payload ?? {});
    // The wire carries the schema's input: a field with a default may be left out.
    expect(payload({ name: 'Ada' })).toBe(true);
    expect(payload({ name: 'Ada', role: 'admin' })).toBe(true);
    expect(payload({ name: '' })).toBe(false);
    expect(payload({ name: 'Ada', role: 'owner' })).toBe(false);
    const created = ajv.compile(messages['users.create']?.replies['users.created']?.payload ?? {});
    expect(created({ id: '1', name: 'Ada', role: 'member' })).toBe(true);
    expect(created({ id: 1, name: 'Ada', role: 'member' })).toBe(false);
  });

  it('writes draft-07 when asked', () => {
    const { messages } = toJSONSchema(contracts, { target: 'draft-07' });
    const schema = messages['file.copy']?.payload ?? {};
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate({ from: 'a', to: 'b' })).toBe(true);
    expect(validate({ from: 'a' })).toBe(false);
  });

  it('exports ArkType schemas, which implement Standard JSON Schema too', () => {
    const { messages } = toJSONSchema(defineContracts({ ping: { payload: type({ at: 'number' }) } }));
    expect(messages.ping?.payload).toMatchObject({ type: 'object', required: ['at'] });
  });

  it('names the message and vendor of a schema without Standard JSON Schema', () => {
    const valibot = defineContracts({
      'users.create': { payload: z.string(), replies: { 'users.created': v.object({ id: v.string() }) } },
    });
    expect(() => toJSONSchema(valibot)).toThrow(SchemaExportError);
    expect(() => toJSONSchema(valibot)).toThrow(
      expect.objectContaining({
        code: 'EXORELAY_SCHEMA_EXPORT',
        messageName: 'users.create',
        outcome: 'users.created',
        vendor: 'valibot',
        message: expect.stringContaining(
          "cannot export the valibot schema of the reply 'users.created' to 'users.create' to JSON Schema: it does not implement Standard JSON Schema",
        ),
      }),
    );
  });

  it('reports a schema JSON cannot express, with the validator’s reason as cause', () => {
    const dated = defineContracts({ 'meetings.plan': { payload: z.object({ at: z.date() }) } });
    let thrown: unknown;
    try {
      toJSONSchema(dated);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SchemaExportError);
    expect(thrown).toMatchObject({
      messageName: 'meetings.plan',
      outcome: undefined,
      vendor: 'zod',
      message:
        "cannot export the zod schema of the payload of 'meetings.plan' to JSON Schema: Date cannot be represented in JSON Schema",
    });
    expect((thrown as Error).cause).toBeInstanceOf(Error);
  });
});
