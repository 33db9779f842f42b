import { deferred } from '@exorelay/conformance';
import { describe, expect, it, vi } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('handlers registered after listen()', () => {
  it('are subscribed as they come, next to the ones from before', async () => {
    await using server = await startNatsServer();
    await using users = await startNatsRelay(server.url, 'users', {
      setup: (relay) => relay.registerHandler('users.get', (_payload, { reply }) => reply('users.found')),
    });
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    const created = deferred<unknown>();
    users.registerHandler('users.create', (user, { reply }) => {
      created.resolve(user);
      return reply('users.created');
    });
    // The new subscription reaches the server a moment after registerHandler returns.
    const reply = await vi.waitFor(() => web.request('users.create', { name: 'Ada' }), { timeout: 5_000 });
    expect(reply.outcome).toBe('users.created');
    expect(await created.promise).toEqual({ name: 'Ada' });
    expect((await web.request('users.get')).outcome).toBe('users.found');
  });
});
