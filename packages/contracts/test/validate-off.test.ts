import { startTestBus } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { contracts } from './support/contracts.js';
import { startRelay } from './support/relays.js';

describe('validate: false', () => {
  it('lets invalid payloads and replies through in both directions, for trusted hot paths', async () => {
    await using bus = await startTestBus();
    const handled: unknown[] = [];
    await using _users = await startRelay(bus, { serviceName: 'users', contracts, validate: false }, (relay) =>
      relay.registerHandler('users.create', async (user, { reply }) => {
        handled.push(user);
        await reply('users.created', { id: 1 } as never);
      }),
    );
    await using web = await startRelay(bus, { serviceName: 'web', contracts, validate: false });
    const answer = await web.request('users.create', { name: 3 } as never);
    expect(handled).toEqual([{ name: 3 }]);
    expect(answer).toMatchObject({ outcome: 'users.created', payload: { id: 1 } });
  });

  it('still lets the contracts decide which outcomes are final', async () => {
    await using bus = await startTestBus();
    await using _files = await startRelay(bus, { serviceName: 'files' }, (relay) =>
      // An older peer: it sends progress without `more`, so every reply looks final on the wire.
      relay.registerHandler('file.copy', async (_payload, { reply }) => {
        await reply('file.copying', { percent: 50 });
        await reply('file.copied', { bytes: 10 });
      }),
    );
    await using web = await startRelay(bus, { serviceName: 'web', contracts, validate: false });
    const outcomes: string[] = [];
    for await (const reply of web.send('file.copy', { from: 'a', to: 'b' })) outcomes.push(reply.outcome);
    expect(outcomes).toEqual(['file.copying', 'file.copied']);
  });
});
