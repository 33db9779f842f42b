import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';

// A generic store knows its own names; the landscape calls them users.*.
const store = {
  name: 'store',
  translations: [
    { public: 'users.create', internal: 'store record' },
    { public: 'users.created', internal: 'record stored' },
    { public: 'users.changed', internal: 'record changed' },
    { public: 'users.check', internal: 'check owner' },
    { public: 'users.checked', internal: 'owner checked' },
  ],
};

describe('translation', () => {
  it('renames a message going to a service and its reply coming back; the payload is untouched', async () => {
    await using bus = await startBus({ services: [store] });
    await using _store = await startService(bus, 'store', {
      'store record': (payload, { reply }) => reply('record stored', payload),
    });
    await using web = await startService(bus, 'web');

    const reply = await web.request('users.create', { name: 'Jean-Luc' });

    expect(reply).toMatchObject({ outcome: 'users.created', payload: { name: 'Jean-Luc' } });
    expect(bus.status().routes).toEqual({ 'users.create': ['store'] });
    expect(bus.lines).toEqual([
      "web  --[ users.create ]->  store as 'store record'",
      'store  --[ users.created ]->  web (reply)',
    ]);
  });

  it('renames what the service sends, and the replies it gets back', async () => {
    await using bus = await startBus({ services: [store] });
    const audited: unknown[] = [];
    await using _audit = await startService(bus, 'audit', {
      'users.changed': (payload) => void audited.push(payload),
      'users.check': (_payload, { reply }) => reply('users.checked', { owner: 'web' }),
    });
    await using storeRelay = await startService(bus, 'store');

    storeRelay.send('record changed', { id: 7 });
    const checked = await storeRelay.request('check owner', { id: 7 });

    await eventually(() => audited.length === 1);
    expect(audited).toEqual([{ id: 7 }]);
    expect(checked).toMatchObject({ outcome: 'owner checked', payload: { owner: 'web' } });
  });
});
