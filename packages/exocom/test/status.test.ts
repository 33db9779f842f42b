import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';

describe('GET /status', () => {
  it('answers the services, their instances, the routing table and the counters', async () => {
    await using bus = await startBus({
      services: [{ name: 'store', translations: [{ public: 'users.create', internal: 'store record' }] }],
    });
    await using store = await startService(bus, 'store', { 'store record': (_p, { reply }) => reply('record stored') });
    await using web = await startService(bus, 'web');
    await web.request('users.create');
    await web.send('nobody.listens').sent;
    await eventually(() => bus.counters.delivered === 2);

    const response = await fetch(`http://127.0.0.1:${bus.port}/status`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      status: 'online',
      port: bus.port,
      instance: bus.instance,
      services: [
        {
          name: 'store',
          sends: [],
          translations: [{ public: 'users.create', internal: 'store record' }],
          instances: [
            {
              service: 'store',
              host: '127.0.0.1',
              port: store.port,
              receives: ['store record'],
              sources: ['registration'],
              up: true,
              inFlight: 0,
              consecutiveFailures: 0,
            },
          ],
        },
        {
          name: 'web',
          sends: [],
          translations: [],
          instances: [expect.objectContaining({ service: 'web', port: web.port, receives: [] })],
        },
      ],
      routes: { 'users.create': ['store'] },
      counters: {
        received: 3,
        delivered: 2,
        failed: 0,
        repliesRouted: 1,
        noReceivers: 1,
        errorReplies: 0,
        refusedBusy: 0,
        heldSends: 0,
        duplicates: 0,
      },
      replyRoutes: 0,
    });
  });
});
