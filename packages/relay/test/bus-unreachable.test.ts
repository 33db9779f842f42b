import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { collect, rejectionOf } from '@exorelay/conformance';
import { ExoComUnreachableError, type ExoRelay } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { startRecordingBus } from './support/recording-bus.js';
import { listeningRelay } from './support/relay-fixture.js';

describe('when the bus cannot be reached', () => {
  it('retries, then rejects stream.sent and fails the stream with an ExoComUnreachableError, and emits nothing', async () => {
    const port = await freePort();
    await using relay = await listeningRelay(port, { http: { register: false, retries: 2, retryDelay: 10 } });
    const emitted: Error[] = [];
    relay.on('error', (error) => emitted.push(error));
    const stream = relay.send('users.create', {});
    const replies = collect(stream);
    const error = await rejectionOf(stream.sent);
    expect(error).toBeInstanceOf(ExoComUnreachableError);
    expect(error).toMatchObject({ host: '127.0.0.1', port, messageName: 'users.create' });
    expect(error.message).toBe(`cannot reach ExoCom at 127.0.0.1:${port} to send 'users.create': is the bus running?`);
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    await expect(replies).rejects.toBe(error);
    expect(relay.stats.pendingReplyStreams).toBe(0);
    // The caller holds the error: the relay does not report it a second time.
    expect(emitted).toEqual([]);
  });

  it('emits the failure of a fire-and-forget send that nobody reads', async () => {
    const port = await freePort();
    await using relay = await listeningRelay(port, { http: { register: false, retries: 0 } });
    const emitted = pEvent<'error', Error>(relay as ExoRelay, 'error');
    relay.send('users.created', {});
    expect(await emitted).toMatchObject({ code: 'EXORELAY_EXOCOM_UNREACHABLE', messageName: 'users.created' });
  });

  it('rejects request() with the same error', async () => {
    const port = await freePort();
    await using relay = await listeningRelay(port, { http: { register: false, retries: 1, retryDelay: 10 } });
    relay.on('error', () => {});
    await expect(relay.request('users.create', {})).rejects.toMatchObject({ code: 'EXORELAY_EXOCOM_UNREACHABLE' });
  });

  it('gets the message through when the bus comes up within the retries', async () => {
    // Until the bus is up, its port resets every connection: the first attempt surely fails.
    const notYetUp = createServer((socket) => socket.resetAndDestroy()).listen(0, '127.0.0.1');
    await pEvent(notYetUp, 'listening');
    const { port } = notYetUp.address() as AddressInfo;
    const firstAttempt = pEvent(notYetUp, 'connection');
    await using relay = await listeningRelay(port, { http: { register: false, retries: 6, retryDelay: 40 } });
    const sent = relay.send('users.create', { name: 'late' }).sent;
    await firstAttempt;
    await new Promise((resolve) => notYetUp.close(resolve));
    await using bus = await startRecordingBus(port);
    await sent;
    expect(bus.requests.map((request) => request.envelope.payload)).toEqual([{ name: 'late' }]);
  });

  it('reports a bus that refuses the message with its status and text', async () => {
    // A relay's own endpoint answers /send/NAME with 404, which makes it a refusing bus.
    await using refusing = await listeningRelay(1, { http: { register: false } });
    await using relay = await listeningRelay(refusing.port!, { http: { register: false } });
    relay.on('error', () => {});
    const error = await rejectionOf(relay.send('users.create').sent);
    expect(error).toMatchObject({
      code: 'EXORELAY_MESSAGE_REJECTED',
      status: 404,
      reason: 'not found: /send/users.create',
    });
  });
});
