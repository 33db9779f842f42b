import { collect, rejectionOf, startTestBus } from '@exorelay/conformance';
import { ContractViolationError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { contracts } from './support/contracts.js';
import { startRelay } from './support/relays.js';

describe('incoming replies', () => {
  it('fails the stream with a ContractViolationError when a reply breaks the contract', async () => {
    await using bus = await startTestBus();
    // An untyped replier can answer anything; the requester's contract catches it.
    await using users = await startRelay(bus, { serviceName: 'users' }, (relay) =>
      relay.registerHandler('users.create', (_user, { reply }) => reply('users.created', { id: 1 })),
    );
    await using web = await startRelay(bus, { serviceName: 'web', contracts });
    const error = await rejectionOf(web.request('users.create', { name: 'Ada' }));
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({
      messageName: 'users.create',
      outcome: 'users.created',
      direction: 'incoming',
      issues: [
        'id: Invalid input: expected string, received number',
        'name: Invalid input: expected string, received undefined',
        'role: Invalid option: expected one of "admin"|"member"',
      ],
    });
    expect(web.stats.pendingReplyStreams).toBe(0);
    expect(users.stats.activeHandlers).toBe(0);
  });

  it('fails the stream on an outcome the message does not declare, after the valid replies before it', async () => {
    await using bus = await startTestBus();
    await using _files = await startRelay(bus, { serviceName: 'files' }, (relay) =>
      relay.registerHandler('file.copy', async (_copy, { reply }) => {
        await reply.progress('file.copying', { percent: 50 });
        await reply('file.moved');
      }),
    );
    await using web = await startRelay(bus, { serviceName: 'web', contracts });
    const seen: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const reply of web.send('file.copy', { from: 'a', to: 'b' })) seen.push(reply.payload);
      })(),
    );
    expect(seen).toEqual([{ percent: 50 }]);
    expect(error).toMatchObject({
      code: 'EXORELAY_CONTRACT_VIOLATION',
      issues: ["'file.moved' is not an outcome of 'file.copy'; it declares 'file.copying', 'file.copied'"],
    });
  });

  it('yields replies that keep the contract, validated', async () => {
    await using bus = await startTestBus();
    await using files = await startRelay(bus, { serviceName: 'files', contracts }, (relay) =>
      relay.registerHandler('file.copy', async (_copy, { reply }) => {
        await reply.progress('file.copying', { percent: 50 });
        await reply('file.copied');
      }),
    );
    await using web = await startRelay(bus, { serviceName: 'web', contracts });
    const replies = await collect(web.send('file.copy', { from: 'a', to: 'b' }));
    expect(replies.map(({ outcome, payload, final }) => ({ outcome, payload, final }))).toEqual([
      { outcome: 'file.copying', payload: { percent: 50 }, final: false },
      { outcome: 'file.copied', payload: undefined, final: true },
    ]);
    expect(files.stats.activeHandlers).toBe(0);
  });
});
