import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expectTypeOf, test } from 'vitest';
import * as z from 'zod';
import {
  defineContracts,
  type InferFinalReply,
  type InferMessageName,
  type InferOutcome,
  type InferPayload,
  type InferPayloadInput,
  type InferReply,
  type InferReplyPayload,
} from '../src/index.js';
import type { contracts } from './support/contracts.js';

type C = typeof contracts;

describe('type helpers', () => {
  test('name the payload, outcomes and replies of a message', () => {
    expectTypeOf<InferMessageName<C>>().toEqualTypeOf<'users.create' | 'users.list' | 'file.copy' | 'users.deleted'>();
    expectTypeOf<InferPayload<C, 'users.create'>>().toEqualTypeOf<{ name: string; role: 'admin' | 'member' }>();
    expectTypeOf<InferPayloadInput<C, 'users.create'>>().toEqualTypeOf<{
      name: string;
      role?: 'admin' | 'member' | undefined;
    }>();
    expectTypeOf<InferPayload<C, 'users.list'>>().toEqualTypeOf<undefined>();
    expectTypeOf<InferOutcome<C, 'file.copy'>>().toEqualTypeOf<'file.copying' | 'file.copied'>();
    expectTypeOf<InferOutcome<C, 'users.deleted'>>().toBeNever();
    expectTypeOf<InferReply<C, 'file.copy'>['outcome']>().toEqualTypeOf<'file.copying' | 'file.copied'>();
    expectTypeOf<InferFinalReply<C, 'file.copy'>['outcome']>().toEqualTypeOf<'file.copied'>();
    expectTypeOf<InferReplyPayload<C, 'file.copy', 'file.copying'>>().toEqualTypeOf<{ percent: number }>();
  });

  test('infer from Valibot and ArkType schemas like from Zod', () => {
    const mixed = defineContracts({
      'orders.place': {
        payload: v.object({ sku: v.string(), quantity: v.number() }),
        replies: { 'orders.placed': type({ orderId: 'string' }), 'orders.refused': z.object({ reason: z.string() }) },
      },
    });
    expectTypeOf<InferPayload<typeof mixed, 'orders.place'>>().toEqualTypeOf<{ sku: string; quantity: number }>();
    expectTypeOf<InferReplyPayload<typeof mixed, 'orders.place', 'orders.placed'>>().toEqualTypeOf<{
      orderId: string;
    }>();
  });
});

describe('defineContracts at compile time', () => {
  test('refuses progress outcomes that are not declared replies', () => {
    defineContracts({
      'file.copy': {
        replies: { 'file.copying': z.number(), 'file.copied': null },
        // @ts-expect-error 'file.copyin' is not one of the replies
        progress: ['file.copyin'],
      },
    });
  });

  test('refuses reserved names and outcomes', () => {
    defineContracts({
      // @ts-expect-error names starting with exo. belong to the protocol
      'exo.ping': { payload: z.string() },
    });
    defineContracts({
      // @ts-expect-error outcomes starting with exo. belong to the protocol
      ping: { replies: { 'exo.pong': null } },
    });
  });

  test('refuses unknown keys and values that are no schemas', () => {
    defineContracts({
      // @ts-expect-error 'reply' is not a declaration key (replies is)
      ping: { reply: { pong: null } },
    });
    defineContracts({
      // @ts-expect-error a payload is a schema, not a type name
      ping: { payload: 'string' },
    });
  });
});
