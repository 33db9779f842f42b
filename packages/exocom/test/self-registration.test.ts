import { on } from 'node:events';
import type { TransportStatus } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';

describe('self-registration', () => {
  it('routes to a relay that registered itself when it started listening', async () => {
    await using bus = await startBus();
    await using users = await startService(bus, 'users', {
      'users.create': async (payload, { reply }) => reply('users.created', { ...(payload as object), id: 1 }),
    });
    await using web = await startService(bus, 'web');
    const reply = await web.request('users.create', { name: 'Jean-Luc' });
    expect(reply).toMatchObject({ outcome: 'users.created', payload: { name: 'Jean-Luc', id: 1 } });
    expect(bus.status().routes).toEqual({ 'users.create': ['users'] });
    expect(users.errors).toEqual([]);
  });

  it('learns handlers a relay registers after it started listening', async () => {
    await using bus = await startBus();
    await using users = await startService(bus, 'users');
    users.registerHandler('users.list', async (_payload, { reply }) => reply('users.listed', []));
    await bus.waitForInstance({ service: 'users', port: users.port, receives: ['users.list'] });
    await using web = await startService(bus, 'web');
    expect((await web.request('users.list')).outcome).toBe('users.listed');
  });

  it('announces a relay again as soon as an answer shows its bus back, not at its next check', async () => {
    const first = await startBus();
    const { port } = first;
    await using web = await startService(first, 'web');
    // The bus goes away; the relay checks for it again and again, waiting longer each time.
    const fifthCheck = (async () => {
      for await (const [status] of on(web, 'status') as AsyncIterable<[TransportStatus]>) {
        if (status.type === 'reconnecting' && status.attempt >= 5) return;
      }
    })();
    await first.close();
    await fifthCheck;
    // Its next check is 1.6 s away when the bus comes back and the relay sends.
    await using second = await startBus({ port });
    await web.send('nobody.listens').sent;

    // What the user sees: replies to what it sends now reach it, since the bus knows it again.
    const instance = await second.waitForInstance({ service: 'web', port: web.port }, { timeout: 1_000 });
    expect(instance.sources).toEqual(['registration']);
  });

  it('forgets a relay when it closes', async () => {
    await using bus = await startBus();
    const users = await startService(bus, 'users', { 'users.list': () => {} });
    await users.close();
    await eventually(() => bus.status().services.length === 0);
    expect(bus.status().routes).toEqual({});
  });
});
