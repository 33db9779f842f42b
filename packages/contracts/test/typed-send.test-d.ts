import { ExoRelay, type ReplyStream } from 'exorelay';
import { describe, expectTypeOf, test } from 'vitest';
import type { InferMessages, InferReply } from '../src/index.js';
import { contracts } from './support/contracts.js';

type Messages = InferMessages<typeof contracts>;
declare const relay: ExoRelay<Messages>;

type User = { id: string; name: string; role: 'admin' | 'member' };

describe('send and request with contracts', () => {
  test('new ExoRelay({ contracts }) infers the message types from the contracts', () => {
    const inferred = new ExoRelay({ serviceName: 'web', exocomPort: 3100, contracts });
    expectTypeOf(inferred).toEqualTypeOf<ExoRelay<Messages>>();
  });

  test('send accepts declared names with their payload and yields a union discriminated on outcome', async () => {
    const stream = relay.send('file.copy', { from: 'a', to: 'b' });
    expectTypeOf(stream).toEqualTypeOf<ReplyStream<InferReply<typeof contracts, 'file.copy'>>>();
    for await (const reply of stream) {
      switch (reply.outcome) {
        case 'file.copying':
          expectTypeOf(reply.payload).toEqualTypeOf<{ percent: number }>();
          break;
        case 'file.copied':
          expectTypeOf(reply.payload).toEqualTypeOf<undefined>();
          break;
        default:
          expectTypeOf(reply).toBeNever();
      }
    }
  });

  test('final is a literal per outcome, so narrowing on it narrows the outcome', async () => {
    for await (const reply of relay.send('file.copy', { from: 'a', to: 'b' })) {
      if (reply.final) {
        expectTypeOf(reply.outcome).toEqualTypeOf<'file.copied'>();
      } else {
        expectTypeOf(reply.outcome).toEqualTypeOf<'file.copying'>();
        expectTypeOf(reply.payload).toEqualTypeOf<{ percent: number }>();
      }
    }
    const created = await relay.request('users.create', { name: 'Ada' });
    expectTypeOf(created.final).toEqualTypeOf<true>();
  });

  test('request resolves to the union of final outcomes only', async () => {
    const created = await relay.request('users.create', { name: 'Ada' });
    expectTypeOf(created.outcome).toEqualTypeOf<'users.created' | 'users.invalid'>();
    if (created.outcome === 'users.created') expectTypeOf(created.payload).toEqualTypeOf<User>();
    else expectTypeOf(created.payload).toEqualTypeOf<{ reason: string }>();
    const copied = await relay.request('file.copy', { from: 'a', to: 'b' });
    expectTypeOf(copied.outcome).toEqualTypeOf<'file.copied'>();
  });

  test('the payload is required unless the message has none; fields with defaults may be left out', () => {
    relay.send('users.list');
    relay.send('users.create', { name: 'Ada' });
    relay.send('users.create', { name: 'Ada', role: 'admin' }, { timeout: 1000 });
    // @ts-expect-error users.create needs a payload
    relay.send('users.create');
    // @ts-expect-error users.create needs a payload
    void relay.request('users.create');
  });

  test('onReply and onProgress get the typed replies', () => {
    relay.send('file.copy', { from: 'a', to: 'b' }, (payload, reply) => {
      expectTypeOf(reply.outcome).toEqualTypeOf<'file.copying' | 'file.copied'>();
      expectTypeOf(payload).toEqualTypeOf<{ percent: number } | undefined>();
    });
    void relay.request(
      'file.copy',
      { from: 'a', to: 'b' },
      {
        onProgress: (reply) => expectTypeOf(reply.outcome).toEqualTypeOf<'file.copying' | 'file.copied'>(),
      },
    );
  });

  test('an unknown name, a wrong payload and an event request do not compile', () => {
    // @ts-expect-error 'users.crate' is not declared
    relay.send('users.crate', { name: 'Ada' });
    // @ts-expect-error name must be a string
    relay.send('users.create', { name: 42 });
    // @ts-expect-error 'nam' is not a field of the payload
    relay.send('users.create', { nam: 'Ada' });
    // @ts-expect-error role is one of 'admin' | 'member'
    relay.send('users.create', { name: 'Ada', role: 'owner' });
    // @ts-expect-error users.list carries no payload
    relay.send('users.list', { page: 2 });
    // @ts-expect-error users.deleted is an event: nobody replies, so there is nothing to request
    void relay.request('users.deleted', { id: '1' });
    relay.send('users.deleted', { id: '1' });
  });

  test('narrowing on an undeclared outcome does not compile', async () => {
    const reply = await relay.request('users.create', { name: 'Ada' });
    // @ts-expect-error 'users.exists' is not an outcome of users.create
    if (reply.outcome === 'users.exists') return;
  });
});
