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

  it('forgets a relay when it closes', async () => {
    await using bus = await startBus();
    const users = await startService(bus, 'users', { 'users.list': () => {} });
    await users.close();
    await eventually(() => bus.status().services.length === 0);
    expect(bus.status().routes).toEqual({});
  });
});
