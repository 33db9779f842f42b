import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';

describe('broadcast', () => {
  it('delivers a message to every service that receives its name', async () => {
    await using bus = await startBus();
    const got: string[] = [];
    await using _audit = await startService(bus, 'audit', { 'users.created': () => void got.push('audit') });
    await using _mailer = await startService(bus, 'mailer', { 'users.created': () => void got.push('mailer') });
    await using web = await startService(bus, 'web');

    const receipt = await web.send('users.created', { id: 1 }).sent;

    expect(receipt.receivers).toBe(2);
    await eventually(() => got.length === 2);
    expect(got.sort()).toEqual(['audit', 'mailer']);
    expect(bus.lines).toContain('web  --[ users.created ]->  audit, mailer');
  });

  it('routes the replies of every receiving service back, then forgets the route', async () => {
    await using bus = await startBus();
    await using _a = await startService(bus, 'a', { ping: (_p, { reply }) => reply('pong', 'a') });
    await using _b = await startService(bus, 'b', { ping: (_p, { reply }) => reply('pong', 'b') });
    await using web = await startService(bus, 'web');

    const first = await web.request('ping');

    expect(['a', 'b']).toContain(first.payload);
    // Both replies travel back (the relay ends the request at the first); then the route is gone.
    await eventually(() => bus.counters.repliesRouted === 2);
    await eventually(() => bus.status().replyRoutes === 0);
  });
});
