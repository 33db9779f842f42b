import { defineService, type ServiceContext } from '@exorelay/service';
import type { MessageMap } from 'exorelay';
import { describe, expectTypeOf, it } from 'vitest';
import { contracts } from './fixtures/contracts.js';

describe('defineService types', () => {
  it('types payloads and replies from the contracts', () => {
    defineService({
      contracts,
      receives: ['work.do'],
      handlers: {
        'work.do': (payload, ctx) => {
          expectTypeOf(payload).toEqualTypeOf<{ job: number; ms: number }>();
          expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
          // @ts-expect-error 'work.failed' is not an outcome of work.do
          void ctx.reply('work.failed', {});
          // @ts-expect-error the payload of work.done needs `by`
          void ctx.reply('work.done', { job: 1 });
          return ctx.reply('work.done', { job: payload.job, by: 1 });
        },
      },
    });
  });

  it('requires a handler for every name the service receives', () => {
    defineService({
      contracts,
      receives: ['work.do', 'work.fail'],
      // @ts-expect-error no handler for work.fail
      handlers: { 'work.do': (_payload, { reply }) => reply('work.done', { job: 1, by: 1 }) },
    });
    defineService({
      contracts,
      // @ts-expect-error without `receives`, every message of the contracts needs a handler
      handlers: { 'work.do': (_payload, { reply }) => reply('work.done', { job: 1, by: 1 }) },
    });
  });

  it('types ctx.request by the contracts', () => {
    defineService({
      contracts,
      receives: ['work.ask'],
      handlers: {
        'work.ask': async (_payload, { request, reply }) => {
          const done = await request('work.do', { job: 1, ms: 0 });
          expectTypeOf(done.payload).toEqualTypeOf<{ job: number; by: number }>();
          // @ts-expect-error work.do needs a payload
          void request('work.do');
          return reply('work.asked', {});
        },
      },
    });
  });

  it('accepts any names and payloads without contracts', () => {
    const service = defineService({
      name: 'free',
      handlers: { anything: (payload, { reply }) => reply('done', payload) },
    });
    expectTypeOf(service.receives).toEqualTypeOf<readonly string[]>();
    expectTypeOf<ServiceContext<MessageMap, string>['log']['info']>().toBeFunction();
  });
});
