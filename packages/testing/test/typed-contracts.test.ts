import { defineContracts } from '@exorelay/contracts';
import { ExoRelay } from 'exorelay';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { createMockExoCom } from '../src/index.js';

const contracts = defineContracts({
  'users.create': {
    payload: z.object({ name: z.string() }),
    replies: { 'users.created': z.object({ id: z.number(), name: z.string() }), 'users.invalid': null },
  },
  'users.created': { payload: z.object({ id: z.number(), name: z.string() }) },
  'file.copy': {
    payload: z.object({ from: z.string() }),
    replies: { 'file.copying': z.number(), 'file.copied': null },
    progress: ['file.copying'],
  },
});

describe('typed contracts', () => {
  it('types what the mock sends and receives from the contracts, and ends streams where they say', async () => {
    await using bus = await createMockExoCom({ contracts });
    const relay = new ExoRelay({ serviceName: 'users', exocomPort: bus.port, exocomHost: '127.0.0.1', contracts });
    await using _relay = Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
    relay.registerHandler('users.create', async ({ name }, { reply, send }) => {
      send('users.created', { id: 1, name });
      await reply('users.created', { id: 1, name });
    });
    relay.registerHandler('file.copy', async (_payload, { reply }) => {
      await reply.progress('file.copying', 50);
      await reply('file.copied');
    });
    await relay.listen(0);

    const replies = await bus.send({ to: 'users', name: 'users.create', payload: { name: 'Jean-Luc' } }).toArray();
    const created = await bus.waitUntilReceived('users.created');
    const copy = await bus.send({ to: 'users', name: 'file.copy', payload: { from: 'a' } }).toArray();

    expect(replies.map((reply) => reply.payload)).toEqual([{ id: 1, name: 'Jean-Luc' }]);
    expect(created.payload).toEqual({ id: 1, name: 'Jean-Luc' });
    expect(copy.map((reply) => [reply.outcome, reply.final])).toEqual([
      ['file.copying', false],
      ['file.copied', true],
    ]);
    expectTypeOf(created.payload).toEqualTypeOf<{ id: number; name: string }>();
    expectTypeOf(replies[0]!.outcome).toEqualTypeOf<'users.created' | 'users.invalid' | 'exo.error'>();
    bus.assertNoPendingReplies();
  });
});
