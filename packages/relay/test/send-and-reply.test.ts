import { describe, expect, it } from 'vitest';
import { startRelay } from './support/relays.js';
import { startTestBus } from './support/test-bus.js';

describe('send and reply', () => {
  it('delivers a message and yields its reply', async () => {
    await using bus = await startTestBus();
    await using users = await startRelay(bus.port, 'users', {}, (relay) =>
      relay.registerHandler('users.create', async (payload, { reply }) => {
        await reply('users.created', { ...(payload as object), id: 1 });
      }),
    );
    await bus.waitForReceiver('users.create');
    await using web = await startRelay(bus.port, 'web');
    const reply = await web.request('users.create', { name: 'Jean-Luc' });
    expect(reply.outcome).toBe('users.created');
    expect(reply.payload).toEqual({ name: 'Jean-Luc', id: 1 });
    expect(users.stats.pendingReplyStreams).toBe(0);
  });
});
