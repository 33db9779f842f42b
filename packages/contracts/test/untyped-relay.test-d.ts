import { ExoRelay, type Reply, type UntypedMessages } from 'exorelay';
import { describe, expectTypeOf, test } from 'vitest';

describe('a relay without contracts', () => {
  const relay = new ExoRelay({ serviceName: 'web', exocomPort: 3100 });

  test('stays untyped: any name, unknown payloads, any outcome', async () => {
    expectTypeOf(relay).toEqualTypeOf<ExoRelay<UntypedMessages>>();
    relay.send('anything');
    relay.send('anything', { at: 1 }, { timeout: 10 });
    const reply = await relay.request('users.create', { name: 'Ada' });
    expectTypeOf(reply).toEqualTypeOf<Reply<string, unknown>>();
    for await (const chunk of relay.send('file.read')) expectTypeOf(chunk.payload).toBeUnknown();
  });

  test('handlers get unknown payloads and may reply any outcome, with or without payload', () => {
    relay.registerHandler('users.create', async (payload, { reply }) => {
      expectTypeOf(payload).toBeUnknown();
      await reply('users.created', { id: 1 });
      await reply('users.gone');
      await reply.progress('users.creating', 50);
    });
  });
});
