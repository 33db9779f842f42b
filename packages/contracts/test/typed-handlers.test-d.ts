import type { ExoRelay } from 'exorelay';
import { describe, expectTypeOf, test } from 'vitest';
import type { InferHandler, InferMessages } from '../src/index.js';
import type { contracts } from './support/contracts.js';

declare const relay: ExoRelay<InferMessages<typeof contracts>>;

describe('handlers with contracts', () => {
  test('registerHandler infers the payload as the schema outputs it (defaults filled in)', () => {
    relay.registerHandler('users.create', (user, context) => {
      expectTypeOf(user).toEqualTypeOf<{ name: string; role: 'admin' | 'member' }>();
      expectTypeOf(context.messageName).toEqualTypeOf<'users.create'>();
    });
    relay.registerHandler('users.list', (payload) => {
      expectTypeOf(payload).toEqualTypeOf<undefined>();
    });
  });

  test('reply accepts only final outcomes with their payloads; reply.progress only progress outcomes', () => {
    relay.registerHandler('file.copy', async (_copy, { reply }) => {
      await reply.progress('file.copying', { percent: 50 });
      await reply('file.copied');
      // @ts-expect-error 'file.copying' is progress: send it with reply.progress
      await reply('file.copying', { percent: 100 });
      // @ts-expect-error 'file.copied' is final: send it with reply
      await reply.progress('file.copied');
      // @ts-expect-error 'file.moved' is not an outcome of file.copy
      await reply('file.moved');
      // @ts-expect-error percent must be a number
      await reply.progress('file.copying', { percent: 'half' });
      // @ts-expect-error file.copying needs a payload
      await reply.progress('file.copying');
    });
  });

  test('reply takes the schema input: defaults may be left out', () => {
    relay.registerHandler('users.create', async (user, { reply }) => {
      await reply('users.created', { id: '1', name: user.name, role: user.role });
      await reply('users.invalid', { reason: 'taken' });
      // @ts-expect-error users.created needs a payload
      await reply('users.created');
      // @ts-expect-error id must be a string
      await reply('users.created', { id: 1, name: user.name, role: user.role });
    });
  });

  test('an event handler cannot reply at all', () => {
    relay.registerHandler('users.deleted', async ({ id }, { reply }) => {
      expectTypeOf(id).toEqualTypeOf<string>();
      // @ts-expect-error users.deleted declares no outcomes
      await reply('users.restored');
    });
  });

  test('registerHandlers types each handler by its key; unknown names do not compile', () => {
    relay.registerHandlers({
      'users.create': (user) => expectTypeOf(user.name).toEqualTypeOf<string>(),
      'file.copy': (copy) => expectTypeOf(copy).toEqualTypeOf<{ from: string; to: string }>(),
    });
    // @ts-expect-error 'users.crate' is not declared
    relay.registerHandler('users.crate', () => {});
    relay.registerHandlers({
      // @ts-expect-error 'users.crate' is not declared
      'users.crate': () => {},
    });
  });

  test('the handler context sends and requests with the same types', () => {
    relay.registerHandler('users.deleted', async (_payload, { send, request }) => {
      send('users.deleted', { id: '2' });
      const listed = await request('users.list');
      expectTypeOf(listed.outcome).toEqualTypeOf<'users.listed'>();
      // @ts-expect-error users.create needs a payload
      send('users.create');
    });
  });

  test('InferHandler types a handler written apart from registerHandler', () => {
    const copyFile: InferHandler<typeof contracts, 'file.copy'> = async ({ from }, { reply }) => {
      expectTypeOf(from).toEqualTypeOf<string>();
      await reply('file.copied');
    };
    relay.registerHandler('file.copy', copyFile);
    // @ts-expect-error a file.copy handler does not serve users.create
    relay.registerHandler('users.create', copyFile);
  });
});
