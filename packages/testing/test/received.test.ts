import { describe, expect, it } from 'vitest';
import { createMockExoCom, MockTimeoutError } from '../src/index.js';
import { startService } from './support/service.js';

describe('what the service sent', () => {
  it('lists every message the service sent, in order', async () => {
    await using bus = await createMockExoCom();
    await using users = await startService(bus, 'users');

    await users.send('users.created', { id: 1 }).sent;
    await users.send('users.listed').sent;

    expect(bus.received.map(({ name, payload, sender }) => ({ name, payload, sender }))).toEqual([
      { name: 'users.created', payload: { id: 1 }, sender: 'users' },
      { name: 'users.listed', payload: undefined, sender: 'users' },
    ]);
    expect(bus.received[0]?.instance).toBe(`127.0.0.1:${users.port}`);
  });

  it('waits until a message arrives, or finds it at once when it is there already', async () => {
    await using bus = await createMockExoCom();
    await using users = await startService(bus, 'users');

    const waiting = bus.waitUntilReceived('users.created');
    users.send('users.created', { id: 1 });
    users.send('users.created', { id: 2 });

    expect((await waiting).payload).toEqual({ id: 1 });
    expect((await bus.waitUntilReceived('users.created', { count: 2 })).payload).toEqual({ id: 2 });
  });

  it('times out with what did arrive meanwhile', async () => {
    await using bus = await createMockExoCom();
    await using users = await startService(bus, 'users');
    await users.send('users.listed').sent;

    const failure = await bus.waitUntilReceived('users.created', { timeout: 30 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MockTimeoutError);
    expect((failure as Error).message).toBe(
      "timed out after 30 ms waiting for message 'users.created' (received meanwhile: users.listed)",
    );
  });

  it('forgets what it received on reset, and keeps the registrations', async () => {
    await using bus = await createMockExoCom();
    await using users = await startService(bus, 'users');
    await users.send('users.created').sent;

    bus.reset();

    expect(bus.received).toEqual([]);
    expect((await bus.waitForService('users')).port).toBe(users.port);
  });

  it('answers receivers: 1 as a stand-in for every other service, or what it is told', async () => {
    await using bus = await createMockExoCom({ receivers: (message) => (message.name === 'nobody' ? 0 : 1) });
    await using users = await startService(bus, 'users');

    expect(await users.send('somebody').sent).toEqual({ receivers: 1 });
    await expect(users.request('nobody')).rejects.toMatchObject({ code: 'EXORELAY_NO_RESPONDERS' });
  });
});
