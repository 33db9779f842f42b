import { describe, expectTypeOf, it } from 'vitest';
import { type BrowserReplyStream, createBrowserRelay } from '../src/index.js';
import { contracts } from './support/demo-contracts.js';

const client = createBrowserRelay({ url: '/bridge', contracts });
const untyped = createBrowserRelay({ url: '/bridge' });

describe('types of a browser relay with contracts', () => {
  it('types send: the payload per message, the replies as a union on outcome', async () => {
    const stream = client.send('file.copy', { from: 'a', to: 'b' });
    expectTypeOf(stream).toExtend<BrowserReplyStream>();
    for await (const reply of stream) {
      expectTypeOf(reply.outcome).toEqualTypeOf<'file.copying' | 'file.copied'>();
      if (reply.outcome === 'file.copying') expectTypeOf(reply.payload).toEqualTypeOf<{ copiedBytes: number }>();
    }
    // @ts-expect-error the payload of file.copy needs `to`
    client.send('file.copy', { from: 'a' });
    // @ts-expect-error no such message
    client.send('file.delete', {});
  });

  it('types request: the final replies only, and only names that have one', async () => {
    const reply = await client.request('file.copy', { from: 'a', to: 'b' });
    expectTypeOf(reply.outcome).toEqualTypeOf<'file.copied'>();
    expectTypeOf(reply.payload).toEqualTypeOf<{ bytes: number }>();
    const listed = await client.request('users.list');
    expectTypeOf(listed.payload).toEqualTypeOf<{ users: string[] }>();
    // @ts-expect-error users.changed is an event: it has no replies to wait for
    void client.request('users.changed', { id: 'u1' });
  });

  it('types on: the payload of the pushed message', () => {
    client.on('users.changed', (payload, message) => {
      expectTypeOf(payload).toEqualTypeOf<{ id: string }>();
      expectTypeOf(message.sender).toEqualTypeOf<string | undefined>();
    });
  });

  it('leaves everything open without contracts', async () => {
    const reply = await untyped.request('anything', { at: 'all' });
    expectTypeOf(reply.outcome).toEqualTypeOf<string>();
    expectTypeOf(reply.payload).toEqualTypeOf<unknown>();
    untyped.on('whatever', (payload) => expectTypeOf(payload).toEqualTypeOf<unknown>());
  });
});
