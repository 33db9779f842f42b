import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineContracts, toAsyncAPI } from '../src/index.js';
import { startAsyncAPIParser } from './support/asyncapi.js';
import { contracts } from './support/contracts.js';

const bank = defineContracts({
  transfer: {
    description: 'Moves money between accounts.',
    payload: z.object({ from: z.string(), to: z.string(), amount: z.number().int().positive() }),
    replies: {
      transferred: z.object({ transactionId: z.string() }),
      'insufficient funds': z.object({ balance: z.number() }),
      insufficient_funds: z.object({ code: z.string() }),
      unauthorized: null,
    },
  },
  'account.closed': { payload: z.object({ account: z.string() }), durable: true },
});

describe('toAsyncAPI', () => {
  const parser = startAsyncAPIParser();
  afterAll(() => parser[Symbol.asyncDispose]());

  it('writes a valid AsyncAPI 3.0 document for every message, reply and event', async () => {
    const document = toAsyncAPI(contracts, { title: 'Users and files', version: '2.1.0' });
    expect(document).toMatchObject({ asyncapi: '3.0.0', info: { title: 'Users and files', version: '2.1.0' } });
    expect(await parser.problems(document)).toEqual([]);
    expect(Object.keys(document.operations)).toEqual(['users.create', 'users.list', 'file.copy', 'users.deleted']);
    expect(document.channels['file.copy']).toMatchObject({ address: 'file.copy' });
  });

  it('describes the replies of a message as the reply of its receive operation', () => {
    const document = toAsyncAPI(contracts);
    expect(document.operations['file.copy']).toEqual({
      action: 'receive',
      channel: { $ref: '#/channels/file.copy' },
      messages: [{ $ref: '#/channels/file.copy/messages/file.copy' }],
      reply: {
        channel: { $ref: '#/channels/file.copy_replies' },
        messages: [
          { $ref: '#/channels/file.copy_replies/messages/file.copy_file.copying' },
          { $ref: '#/channels/file.copy_replies/messages/file.copy_file.copied' },
        ],
      },
    });
    expect(document.channels['file.copy_replies']).toMatchObject({
      address: '{outcome}',
      parameters: { outcome: { enum: ['file.copying', 'file.copied'] } },
    });
    expect(document.operations['users.deleted']).not.toHaveProperty('reply');
  });

  it('wraps payloads in the ExoRelay envelope and marks progress replies with more', () => {
    const { components } = toAsyncAPI(contracts);
    expect(components.messages['file.copy']?.payload).toEqual({
      type: 'object',
      required: ['requestId', 'payload'],
      properties: {
        sender: expect.objectContaining({ type: 'string' }),
        requestId: expect.objectContaining({ type: 'string' }),
        payload: { $ref: '#/components/schemas/file.copy' },
      },
    });
    const copying = components.messages['file.copy_file.copying'];
    expect(copying).toMatchObject({
      name: 'file.copying',
      'x-exorelay-progress': true,
      payload: {
        required: ['requestId', 'responseTo', 'payload'],
        properties: { more: { const: true }, seq: { type: 'integer' } },
      },
    });
    expect(components.messages['file.copy_file.copied']).toMatchObject({ 'x-exorelay-progress': false });
    expect(components.messages['file.copy_file.copied']?.payload).not.toHaveProperty('properties.payload');
    expect(components.schemas['file.copy']).toMatchObject({ type: 'object', required: ['from', 'to'] });
    expect(components.schemas['file.copy']).not.toHaveProperty('$schema');
  });

  it('keeps names with spaces as message names and derives unique ids for them', async () => {
    const document = toAsyncAPI(bank);
    expect(await parser.problems(document)).toEqual([]);
    const ids = [
      'transfer_transferred',
      'transfer_insufficient_funds',
      'transfer_insufficient_funds_2',
      'transfer_unauthorized',
    ];
    expect(Object.keys(document.channels.transfer_replies?.messages as object)).toEqual(ids);
    expect(ids.map((id) => document.components.messages[id]?.name)).toEqual([
      'transferred',
      'insufficient funds',
      'insufficient_funds',
      'unauthorized',
    ]);
    expect(document.channels.transfer_replies).toMatchObject({
      parameters: { outcome: { enum: ['transferred', 'insufficient funds', 'insufficient_funds', 'unauthorized'] } },
    });
  });

  it('marks durable messages and carries descriptions', () => {
    const document = toAsyncAPI(bank);
    expect(document.channels['account.closed']).toMatchObject({ 'x-exorelay-durable': true });
    expect(document.channels.transfer).not.toHaveProperty('x-exorelay-durable');
    expect(document.components.messages.transfer).toMatchObject({ description: 'Moves money between accounts.' });
  });

  it('rebases the internal references of recursive schemas onto components.schemas', async () => {
    const Category = z.object({
      name: z.string(),
      get children() {
        return z.array(Category);
      },
    });
    const document = toAsyncAPI(defineContracts({ 'catalog.import': { payload: Category } }));
    expect(JSON.stringify(document.components.schemas['catalog.import'])).toContain(
      '"#/components/schemas/catalog.import',
    );
    // The parser resolves every $ref, so a reference left pointing at the old root fails here.
    expect(await parser.problems(document)).toEqual([]);
  });
});
