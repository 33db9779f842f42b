import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';
import { startPeer } from './support/peer.js';

describe('reply routing', () => {
  it('routes a reply to the instance that sent the request, not to its twin', async () => {
    await using bus = await startBus();
    await using _users = await startService(bus, 'users', {
      'users.get': (payload, { reply }) => reply('users.found', payload),
    });
    await using web1 = await startService(bus, 'web');
    await using web2 = await startService(bus, 'web');

    const [first, second] = await Promise.all([web1.request('users.get', 1), web2.request('users.get', 2)]);

    expect([first.payload, second.payload]).toEqual([1, 2]);
    const replyTargets = bus.flows.flatMap((flow) =>
      flow.kind === 'reply' ? flow.receivers.map((r) => r.instance) : [],
    );
    expect(replyTargets.sort()).toEqual([`127.0.0.1:${web1.port}`, `127.0.0.1:${web2.port}`].sort());
    await eventually(() => bus.counters.repliesRouted === 2);
  });

  it('sends replies to every instance of the requester when the request did not say which one sent it', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    await using web1 = await startPeer(bus.port, 'web');
    await using web2 = await startPeer(bus.port, 'web');

    await web1.send('users.get', { requestId: 'r1' }, { identify: false });
    await eventually(() => users.received.length === 1);
    await users.send('users.found', { requestId: 'a1', responseTo: 'r1', seq: 0 });

    await eventually(() => web1.received.length === 1 && web2.received.length === 1);
    expect(web1.received[0]).toMatchObject({ name: 'users.found', envelope: { responseTo: 'r1' } });
  });

  it('forgets a reply route once the final reply went back', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    await using web = await startPeer(bus.port, 'web');

    await web.send('users.get', { requestId: 'r1' });
    await eventually(() => users.received.length === 1);
    expect(bus.status().replyRoutes).toBe(1);
    await users.send('users.finding', { requestId: 'a1', responseTo: 'r1', seq: 0, more: true });
    expect(bus.status().replyRoutes).toBe(1);
    await users.send('users.found', { requestId: 'a2', responseTo: 'r1', seq: 1 });
    expect(bus.status().replyRoutes).toBe(0);

    const late = await users.send('users.found', { requestId: 'a3', responseTo: 'r1', seq: 2 });
    expect(JSON.parse(late.body)).toEqual({ receivers: 0 });
    await eventually(() => web.received.length === 2);
    expect(bus.lines).toContain('users  --[ users.found ]->  (reply to an unknown or expired request)');
  });

  it('keeps no reply route for one-way messages, however many go through', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.created'] });
    await using web = await startPeer(bus.port, 'web');

    for (let index = 0; index < 200; index += 1)
      await web.send('users.created', { requestId: `e${index}`, oneWay: true });
    await eventually(() => users.received.length === 200);
    expect(bus.status().replyRoutes).toBe(0);
  });

  it('tells nobody when a one-way message cannot be delivered', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.created'] });
    await using web = await startPeer(bus.port, 'web');
    await users.close();

    await web.send('users.created', { requestId: 'e1', oneWay: true });
    await eventually(() => bus.counters.failed === 1);
    expect(bus.counters.errorReplies).toBe(0);
    expect(web.received).toEqual([]);
  });
});
