import { describe, expect, it } from 'vitest';
import { eventually, startBus } from './support/landscape.js';
import { startPeer } from './support/peer.js';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const tracestate = 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7';

describe('trace context', () => {
  it('forwards traceparent and tracestate untouched, on a message and on its reply', async () => {
    await using bus = await startBus();
    await using users = await startPeer(bus.port, 'users', { receives: ['users.get'] });
    await using web = await startPeer(bus.port, 'web');

    await web.send('users.get', { requestId: 'r1', traceparent, tracestate });
    await eventually(() => users.received.length === 1);
    expect(users.received[0]?.envelope).toMatchObject({ requestId: 'r1', traceparent, tracestate });

    const replyTraceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01';
    await users.send('users.found', { requestId: 'a1', responseTo: 'r1', seq: 0, traceparent: replyTraceparent });
    await eventually(() => web.received.length === 1);
    expect(web.received[0]?.envelope).toMatchObject({ responseTo: 'r1', traceparent: replyTraceparent });
    expect(web.received[0]?.envelope).not.toHaveProperty('tracestate');
  });
});
