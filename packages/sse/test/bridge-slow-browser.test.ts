import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually, startApiLandscape } from './support/landscape.js';

describe('frontend bridge: a browser that stops reading its event stream', () => {
  it('is disconnected once it leaves too much unread, instead of growing the server memory', async () => {
    await using landscape = await startApiLandscape({ bridge: { allow: { receive: ['frame'] } } });
    const { port } = new URL(landscape.url);
    // A raw socket that sends the request and then reads nothing, as a frozen tab would.
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.pause();
    socket.write('GET /bridge/events HTTP/1.1\r\nhost: localhost\r\naccept: text/event-stream\r\n\r\n');
    await eventually(() => landscape.bridge.connections === 1);
    const closed = once(socket, 'close');

    const frame = 'x'.repeat(64 * 1024);
    for (let count = 0; count < 400 && landscape.bridge.connections > 0; count += 1) {
      await landscape.backend.send('frame', frame).sent;
    }

    await eventually(() => landscape.bridge.connections === 0);
    socket.resume();
    await closed;
    expect(landscape.bridge.connections).toBe(0);
  });
});
