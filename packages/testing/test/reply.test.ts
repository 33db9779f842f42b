import { describe, expect, it } from 'vitest';
import { createMockExoCom } from '../src/index.js';
import { startService } from './support/service.js';

describe('answering the service', () => {
  it('answers a request the service made, as the service it was meant for', async () => {
    await using bus = await createMockExoCom();
    await using web = await startService(bus, 'web');

    const answer = web.request('users.get', { id: 1 });
    const asked = await bus.waitUntilReceived('users.get');
    await bus.reply(asked, { outcome: 'users.finding', payload: 50, progress: true });
    await bus.reply(asked, { outcome: 'users.found', payload: { id: 1, name: 'Jean-Luc' }, sender: 'users' });

    await expect(answer).resolves.toMatchObject({
      outcome: 'users.found',
      payload: { id: 1, name: 'Jean-Luc' },
      sender: 'users',
    });
  });

  it('gives replies seq numbers in the order of the calls', async () => {
    await using bus = await createMockExoCom();
    await using web = await startService(bus, 'web');
    const seen: unknown[] = [];

    const answered = new Promise<void>((resolve) => {
      web.send('file.read', undefined, (payload, reply) => {
        seen.push(payload);
        if (reply.final) resolve();
      });
    });
    const asked = await bus.waitUntilReceived('file.read');
    await Promise.all([
      bus.reply(asked, { outcome: 'chunk', payload: 0, progress: true }),
      bus.reply(asked, { outcome: 'chunk', payload: 1, progress: true }),
      bus.reply(asked, { outcome: 'done', payload: 2 }),
    ]);
    await answered;

    expect(seen).toEqual([0, 1, 2]);
  });
});
