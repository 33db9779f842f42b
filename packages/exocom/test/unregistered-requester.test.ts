import { describe, expect, it } from 'vitest';
import { startScript } from './support/child-process.js';
import { eventually, startBus } from './support/landscape.js';
import { startPeer } from './support/peer.js';

interface BusReport {
  counters?: { heldSends: number; repliesRouted: number };
}

/**
 * A relay names its instance (`exorelay-instance`) in every send, from the moment it listens:
 * also before its registration reaches the bus, which happens at start and after the bus
 * restarted. The replies to such a request wait for that registration.
 */
describe('a requester that sends before it registered', () => {
  it('bus and replier in their own processes: the reply waits for the registration and is delivered', async () => {
    await using bus = startScript('bus.ts');
    const { port } = await bus.next<{ port: number }>();
    await using service = startScript('holding-service.ts', [port]);
    await service.next<{ port: number }>();
    await using web = await startPeer(port, 'web', { register: false });

    const sent = await web.send('users.echo', { requestId: 'r1', payload: 'hello' });
    expect(JSON.parse(sent.body)).toEqual({ receivers: 1 });
    // The service answered at once; the bus holds that reply's send until `web` registers.
    await busReports(bus, (report) => report.counters?.heldSends === 1);
    expect(web.received).toEqual([]);
    await web.register();

    // What the requester sees: its reply, not a timeout.
    await eventually(() => web.received.length === 1);
    expect(web.received[0]).toMatchObject({
      name: 'users.echoed',
      envelope: { responseTo: 'r1', payload: 'hello' },
    });
    await busReports(bus, (report) => report.counters?.repliesRouted === 1);
  });

  it('goes to the instance that asked, not to its registered twin', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    await using registered = await startPeer(bus.port, 'web');
    await using starting = await startPeer(bus.port, 'web', { register: false });

    await starting.send('users.get', { requestId: 'r1' });
    await eventually(() => users.received.length === 1);
    const replied = users.send('users.found', { requestId: 'a1', responseTo: 'r1', seq: 0 });
    await eventually(() => bus.counters.heldSends === 1);
    await starting.register();

    expect(JSON.parse((await replied).body)).toEqual({ receivers: 1 });
    await eventually(() => starting.received.length === 1);
    expect(starting.received).toMatchObject([{ name: 'users.found', envelope: { responseTo: 'r1' } }]);
    expect(registered.received).toEqual([]);
  });

  it('never registers: after maxSendWait the reply is dropped with a flow line, and the replier is answered', async () => {
    await using bus = await startBus({ maxSendWait: 200 });
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    await using web = await startPeer(bus.port, 'web', { register: false });

    await web.send('users.get', { requestId: 'r1' });
    await eventually(() => users.received.length === 1);
    const replied = await users.send('users.found', { requestId: 'a1', responseTo: 'r1', seq: 0 });

    // What the replier sees: its send is answered; nobody received it.
    expect(replied.status).toBe(200);
    expect(JSON.parse(replied.body)).toEqual({ receivers: 0 });
    expect(bus.counters.heldSends).toBe(1);
    expect(bus.lines).toContain(
      "users  --[ users.found ]-x  reply for 'web' dropped: 'web' has no address; list it in the configuration or let it register",
    );
  });

  it('too many replies already wait for that instance: 503 with retry-after, and the replier may send again', async () => {
    await using bus = await startBus({ maxQueuedPerInstance: 1 });
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    await using web = await startPeer(bus.port, 'web', { register: false });

    await web.send('users.get', { requestId: 'r1' });
    await web.send('users.get', { requestId: 'r2' });
    await eventually(() => users.received.length === 2);
    const first = users.send('users.found', { requestId: 'a1', responseTo: 'r1', seq: 0 });
    await eventually(() => bus.counters.heldSends === 1);
    const second = await users.send('users.found', { requestId: 'a2', responseTo: 'r2', seq: 0 });

    expect(second.status).toBe(503);
    expect(second.body).toContain(`has not registered yet, and too many replies wait for it`);
    await web.register();
    expect(JSON.parse((await first).body)).toEqual({ receivers: 1 });
    const again = await users.send('users.found', { requestId: 'a2', responseTo: 'r2', seq: 0 });
    expect(JSON.parse(again.body)).toEqual({ receivers: 1 });
    await eventually(() => web.received.length === 2);
  });

  it('names an address it never registers under: its first reply comes maxSendWait late, the later ones at once', async () => {
    await using bus = await startBus({ maxSendWait: 200 });
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    // Registered under its own address, naming another one in its sends: a relay with
    // `register: false` whose configured address is not the one it advertises looks the same.
    await using web = await startPeer(bus.port, 'web');
    const send = (requestId: string) =>
      fetch(`http://127.0.0.1:${bus.port}/send/users.get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'exorelay-instance': '127.0.0.1:1' },
        body: JSON.stringify({ sender: 'web', requestId }),
      });

    await send('r1');
    await eventually(() => users.received.length === 1);
    const first = await users.send('users.found', { requestId: 'a1', responseTo: 'r1', seq: 0 });
    expect(JSON.parse(first.body)).toEqual({ receivers: 1 });
    expect(bus.counters.heldSends).toBe(1);

    await send('r2');
    await eventually(() => users.received.length === 2);
    const second = await users.send('users.found', { requestId: 'a2', responseTo: 'r2', seq: 0 });
    expect(JSON.parse(second.body)).toEqual({ receivers: 1 });
    // What the requester sees: both replies, the second one not held.
    expect(bus.counters.heldSends).toBe(1);
    await eventually(() => web.received.length === 2);
  });

  it('an event-stream id the bus does not know will never register: its reply is not held', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    const unknownStream = '3f0c4a52-1d7e-4a8b-9a43-5b1c2e6d7f80';

    const sent = await fetch(`http://127.0.0.1:${bus.port}/send/users.get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'exorelay-instance': unknownStream },
      body: JSON.stringify({ sender: 'web', requestId: 'r1' }),
    });
    expect(sent.status).toBe(200);
    await eventually(() => users.received.length === 1);
    const replied = await users.send('users.found', { requestId: 'a1', responseTo: 'r1', seq: 0 });

    expect(JSON.parse(replied.body)).toEqual({ receivers: 0 });
    expect(bus.counters.heldSends).toBe(0);
  });
});

/** Reads the bus process's reports until one satisfies `done`. */
async function busReports(bus: ReturnType<typeof startScript>, done: (report: BusReport) => boolean): Promise<void> {
  while (!done(await bus.next<BusReport>())) {
    // the next report, 100 ms later
  }
}
