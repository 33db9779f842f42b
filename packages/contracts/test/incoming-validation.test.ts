import { randomUUID } from 'node:crypto';
import { rejectionOf, startTestBus } from '@exorelay/conformance';
import { ContractViolationError, RemoteError } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { contracts } from './support/contracts.js';
import { deliverDirectly, startRelay } from './support/relays.js';

describe('incoming validation', () => {
  it('refuses an invalid message before its handler runs; the requester gets a RemoteError INVALID_PAYLOAD', async () => {
    await using bus = await startTestBus();
    const handled: unknown[] = [];
    await using users = await startRelay(bus, { serviceName: 'users', contracts }, (relay) =>
      relay.registerHandler('users.create', async (user, { reply }) => {
        handled.push(user);
        await reply('users.created', { id: '1', name: user.name, role: user.role });
      }),
    );
    const emitted = pEvent<'error', Error>(users, 'error');
    // An older or untyped peer: nothing stops it from sending what the contract forbids.
    await using legacy = await startRelay(bus, { serviceName: 'legacy' });
    const error = await rejectionOf(legacy.request('users.create', { name: 7 }));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({
      remoteCode: 'INVALID_PAYLOAD',
      messageName: 'users.create',
      details: { issues: ['name: Invalid input: expected string, received number'] },
    });
    expect((error as RemoteError).remoteMessage).toContain("incoming payload of 'users.create' breaks its contract");
    const violation = await emitted;
    expect(violation).toBeInstanceOf(ContractViolationError);
    expect(violation).toMatchObject({ direction: 'incoming', messageName: 'users.create' });
    expect(handled).toEqual([]);
  });

  it('answers the bus 422 with the readable issues', async () => {
    await using bus = await startTestBus();
    await using users = await startRelay(bus, { serviceName: 'users', contracts }, (relay) =>
      relay.registerHandler('users.create', () => {}),
    );
    users.on('error', () => {});
    const answer = await deliverDirectly(users, 'users.create', {
      requestId: randomUUID(),
      sender: 'web',
      payload: { role: 'root' },
    });
    expect(answer.status).toBe(422);
    expect(answer.text).toContain('name: Invalid input: expected string, received undefined');
    expect(answer.text).toContain('role: Invalid option: expected one of "admin"|"member"');
  });

  it('hands the handler the validated value, with the schema defaults applied', async () => {
    await using bus = await startTestBus();
    await using users = await startRelay(bus, { serviceName: 'users', contracts }, (relay) =>
      relay.registerHandler('users.create', (user, { reply }) =>
        reply('users.created', { id: '1', name: user.name, role: user.role }),
      ),
    );
    await using web = await startRelay(bus, { serviceName: 'web', contracts });
    const created = await web.request('users.create', { name: 'Ada' });
    expect(created).toMatchObject({ outcome: 'users.created', payload: { id: '1', name: 'Ada', role: 'member' } });
    expect(users.stats.activeHandlers).toBe(0);
  });
});
