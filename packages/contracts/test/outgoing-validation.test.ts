import { deferred, rejectionOf, startTestBus } from '@exorelay/conformance';
import { ContractViolationError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { contracts } from './support/contracts.js';
import { startRelay } from './support/relays.js';

describe('outgoing validation', () => {
  it('refuses an invalid payload before anything is sent, naming the message and the issues', async () => {
    await using bus = await startTestBus();
    await using web = await startRelay(bus, { serviceName: 'web', contracts });
    const emitted: Error[] = [];
    web.on('error', (error) => emitted.push(error));
    // A caller that bypasses the types (plain JS, data from outside) is stopped at run time.
    const stream = web.send('users.create', { name: '', role: 'owner' } as never);
    const error = await rejectionOf(stream.sent);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ messageName: 'users.create', direction: 'outgoing' });
    expect((error as ContractViolationError).issues).toEqual([
      'name: Too small: expected string to have >=1 characters',
      'role: Invalid option: expected one of "admin"|"member"',
    ]);
    expect(error.message).toContain("outgoing payload of 'users.create' breaks its contract");
    // The caller holds the error (it reads `sent`): it is not emitted a second time.
    expect(emitted).toEqual([]);
    expect(bus.received).toEqual([]);
  });

  it('refuses an invalid reply before it is sent; the handler sees the error', async () => {
    await using bus = await startTestBus();
    const replyFailure = deferred<unknown>();
    await using users = await startRelay(bus, { serviceName: 'users', contracts }, (relay) =>
      relay.registerHandler('users.create', async (user, { reply }) => {
        try {
          await reply('users.created', { id: 42, name: user.name, role: user.role } as never);
        } catch (error) {
          replyFailure.resolve(error);
          await reply('users.invalid', { reason: 'could not store the user' });
        }
      }),
    );
    users.on('error', () => {});
    await using web = await startRelay(bus, { serviceName: 'web', contracts });
    const answer = await web.request('users.create', { name: 'Ada' });
    const error = await replyFailure.promise;
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({
      messageName: 'users.create',
      outcome: 'users.created',
      direction: 'outgoing',
      issues: ['id: Invalid input: expected string, received number'],
    });
    expect(answer).toMatchObject({ outcome: 'users.invalid', payload: { reason: 'could not store the user' } });
    expect(bus.received.map((message) => message.name)).toEqual(['users.create', 'users.invalid']);
  });

  it('refuses a reply under an outcome the message does not declare', async () => {
    await using bus = await startTestBus();
    const replyFailure = deferred<unknown>();
    await using files = await startRelay(bus, { serviceName: 'files', contracts }, (relay) =>
      relay.registerHandler('file.copy', async (_copy, { reply }) => {
        // As an untyped caller could: the types would not let this compile.
        const untypedReply = reply as unknown as (outcome: string) => Promise<void>;
        await untypedReply('file.moved').catch(replyFailure.resolve);
        await reply('file.copied');
      }),
    );
    files.on('error', () => {});
    await using web = await startRelay(bus, { serviceName: 'web', contracts });
    expect(await web.request('file.copy', { from: 'a', to: 'b' })).toMatchObject({ outcome: 'file.copied' });
    expect(await replyFailure.promise).toMatchObject({
      code: 'EXORELAY_CONTRACT_VIOLATION',
      issues: ["'file.moved' is not an outcome of 'file.copy'; it declares 'file.copying', 'file.copied'"],
    });
  });
});
