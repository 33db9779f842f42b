import { describe, expect, it } from 'vitest';
import { formatFlowEvent } from '../src/index.js';
import { eventually, startBus } from './support/landscape.js';
import { startLegacyService } from './support/legacy-service.js';
import { startPeer } from './support/peer.js';

describe('2016 peers', () => {
  it('a 2016 replier that sends several replies without more or seq: the requester gets every one, until the route expires', async () => {
    await using legacy = await startLegacyService('reports');
    await using bus = await startBus({
      replyRouteTtl: 1000,
      healthCheckInterval: 0,
      services: [{ name: 'reports', host: '127.0.0.1', port: legacy.port, receives: ['reports.list'] }],
    });
    await using web = await startPeer(bus.port, 'web');
    await web.send('reports.list', { requestId: 'list-1' });
    await eventually(() => legacy.received.length === 1);

    for (const [index, id] of ['a', 'b', 'c'].entries()) {
      expect(
        await legacy.send(bus.port, 'reports.listed', { requestId: id, responseTo: 'list-1', payload: index }),
      ).toEqual({
        status: 200,
        body: '{"receivers":1}',
      });
    }

    await eventually(() => web.received.length === 3);
    expect(web.received.map(({ envelope }) => envelope.payload)).toEqual([0, 1, 2]);
    expect(bus.status().replyRoutes).toBe(1);
    // Bounded as every route: it leaves replyRouteTtl after the latest reply.
    await eventually(() => bus.status().replyRoutes === 0, { timeout: 5000 });
    expect(await legacy.send(bus.port, 'reports.listed', { requestId: 'd', responseTo: 'list-1' })).toEqual({
      status: 200,
      body: '{"receivers":0}',
    });
  });

  it('a reply with seq and no more still closes its route (relays number every reply)', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    await using web = await startPeer(bus.port, 'web');
    await web.send('users.get', { requestId: 'r1' });
    await eventually(() => users.received.length === 1);

    await users.send('users.found', { requestId: 'a1', responseTo: 'r1', seq: 0 });

    expect(bus.status().replyRoutes).toBe(0);
  });

  it('a 2016 sender configured with its address and sends only gets its replies there', async () => {
    await using cli = await startLegacyService('cli');
    await using bus = await startBus({
      healthCheckInterval: 0,
      services: [{ name: 'cli', host: '127.0.0.1', port: cli.port, sends: ['users.get'] }],
    });
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });

    await cli.send(bus.port, 'users.get', { requestId: 'g1' });
    await eventually(() => users.received.length === 1);
    await users.send('users.found', { requestId: 'f1', responseTo: 'g1', seq: 0 });

    await eventually(() => cli.received.length === 1);
    expect(cli.received[0]).toMatchObject({ name: 'users.found', responseTo: 'g1', sender: 'users' });
  });

  it('a 2016 sender the bus has no address for: its reply is dropped with a flow line that says what to do', async () => {
    await using cli = await startLegacyService('cli');
    await using bus = await startBus({ services: [{ name: 'cli', sends: ['users.get'] }] });
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });

    await cli.send(bus.port, 'users.get', { requestId: 'g1' });
    await eventually(() => users.received.length === 1);
    await users.send('users.found', { requestId: 'f1', responseTo: 'g1', seq: 0 });

    const dropped = bus.flows.find((flow) => flow.kind === 'reply');
    expect(dropped && formatFlowEvent(dropped)).toBe(
      "users  --[ users.found ]-x  reply for 'cli' dropped: 'cli' has no address; list it in the configuration or let it register",
    );
  });
});
