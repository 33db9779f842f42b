import { describe, expect, it } from 'vitest';
import { createMockExoCom, PendingRepliesError } from '../src/index.js';
import { startService } from './support/service.js';

describe('assertNoPendingReplies', () => {
  it('passes when every reply was read', async () => {
    await using bus = await createMockExoCom();
    await using _users = await startService(bus, 'users', { ping: (_p, { reply }) => reply('pong') });

    await bus.send({ to: 'users', name: 'ping' }).toArray();

    expect(() => bus.assertNoPendingReplies()).not.toThrow();
  });

  it('throws on replies that arrived and were not read', async () => {
    await using bus = await createMockExoCom();
    await using _users = await startService(bus, 'users', { ping: (_p, { reply }) => reply('pong') });

    bus.send({ to: 'users', name: 'ping' });
    await bus.waitUntilReceived('pong');

    expect(() => bus.assertNoPendingReplies()).toThrow(PendingRepliesError);
    expect(() => bus.assertNoPendingReplies()).toThrow(
      "1 reply was not looked at:\n  - 'pong' answering 'ping' was not read",
    );
    bus.reset();
    bus.assertNoPendingReplies();
  });

  it('throws on replies after the final one, and to requests the mock never sent', async () => {
    await using bus = await createMockExoCom();
    await using users = await startService(bus, 'users', {
      ping: async (_p, { reply }) => {
        await reply('pong');
        await reply('pong again');
      },
    });

    await bus.send({ to: 'users', name: 'ping' }).toArray();
    await bus.waitUntilReceived('pong again');
    await users.send('stray', undefined).sent;

    expect(() => bus.assertNoPendingReplies()).toThrow("'pong again' answering 'ping' after its final reply");
  });

  it('does not count replies after the test stopped reading a stream', async () => {
    await using bus = await createMockExoCom();
    await using _users = await startService(bus, 'users', {
      count: async (_p, { reply }) => {
        for (let index = 0; index < 5; index += 1) await reply.progress('tick', index);
        await reply('done');
      },
    });

    for await (const reply of bus.send({ to: 'users', name: 'count' })) {
      if (reply.payload === 1) break;
    }
    await bus.waitUntilReceived('done');

    bus.assertNoPendingReplies();
  });
});
