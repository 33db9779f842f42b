import type { ErrorReplyPayload } from '@exorelay/protocol';
import { describe, expectTypeOf, it } from 'vitest';
import type { MockExoCom, ReceivedMessage } from '../src/index.js';

type Messages = {
  'users.create': {
    payload: { name: string };
    replies: { 'users.created': { id: number }; 'users.creating': number };
    progress: 'users.creating';
  };
  'users.get': { payload: { id: number }; replies: { 'users.found': { name: string } }; progress: never };
  'users.list': { payload: undefined; replies: { 'users.listed': string[] }; progress: never };
};

declare const bus: MockExoCom<Messages>;
declare const untyped: MockExoCom;

describe('MockExoCom types', () => {
  it('requires the payload a message declares, and leaves it optional where undefined is allowed', () => {
    bus.send({ to: 'users', name: 'users.create', payload: { name: 'Jean-Luc' } });
    bus.send({ to: 'users', name: 'users.list' });
    // @ts-expect-error: payload missing
    bus.send({ to: 'users', name: 'users.create' });
    // @ts-expect-error: wrong payload
    bus.send({ to: 'users', name: 'users.create', payload: { name: 1 } });
    // @ts-expect-error: unknown message
    bus.send({ to: 'users', name: 'users.delete' });
  });

  it('types the replies of a stream by outcome, with exo.error', async () => {
    for await (const reply of bus.send({ to: 'users', name: 'users.create', payload: { name: 'a' } })) {
      if (reply.outcome === 'users.created') expectTypeOf(reply.payload).toEqualTypeOf<{ id: number }>();
      if (reply.outcome === 'users.creating') expectTypeOf(reply.payload).toEqualTypeOf<number>();
      if (reply.outcome === 'exo.error') expectTypeOf(reply.payload).toEqualTypeOf<ErrorReplyPayload>();
    }
  });

  it('types received messages and the replies to them', async () => {
    const asked = await bus.waitUntilReceived('users.get');
    expectTypeOf(asked).toEqualTypeOf<ReceivedMessage<'users.get', { id: number }>>();
    await bus.reply(asked, { outcome: 'users.found', payload: { name: 'Jean-Luc' } });
    // @ts-expect-error: not an outcome of users.get
    await bus.reply(asked, { outcome: 'users.lost' });
    // @ts-expect-error: wrong reply payload
    await bus.reply(asked, { outcome: 'users.found', payload: { name: 1 } });

    expectTypeOf((await bus.waitUntilReceived('something.else')).payload).toBeUnknown();
  });

  it('accepts any name and payload when untyped', async () => {
    untyped.send({ to: 'users', name: 'anything', payload: 1 });
    const message = await untyped.waitUntilReceived('anything');
    expectTypeOf(message.payload).toBeUnknown();
    await untyped.reply(message, { outcome: 'whatever', payload: { any: 'thing' } });
  });
});
