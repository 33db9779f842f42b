import { deferred, rejectionOf } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  BridgeConnectionError,
  createBrowserRelay,
  NoRespondersError,
  RemoteError,
  StreamFailedError,
  TimeoutError,
} from '../src/index.js';
import { eventually, startBridgeLandscape } from './support/bridge-landscape.js';

describe('BrowserRelay#request', () => {
  it('resolves with the first final reply and hands progress replies to onProgress', async () => {
    await using landscape = await startBridgeLandscape({
      handlers: {
        'users.create': async (user, { reply }) => {
          await reply.progress('users.checking', { step: 'email' });
          await reply('users.created', { ...(user as object), id: 'u1' });
        },
      },
    });
    const client = createBrowserRelay({ url: landscape.url });
    const progress: unknown[] = [];

    const created = await client.request(
      'users.create',
      { name: 'Jean-Luc' },
      { onProgress: (reply) => progress.push(reply.payload) },
    );

    expect(created).toMatchObject({ outcome: 'users.created', payload: { name: 'Jean-Luc', id: 'u1' }, final: true });
    expect(progress).toEqual([{ step: 'email' }]);
  });

  it('rejects with a RemoteError carrying the wire code when the handler fails', async () => {
    await using landscape = await startBridgeLandscape({
      handlers: {
        'users.create': () => {
          throw new Error('database offline');
        },
      },
    });
    const client = createBrowserRelay({ url: landscape.url });

    const error = await rejectionOf(client.request('users.create', {}));

    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'EXORELAY_REMOTE', remoteCode: 'HANDLER_FAILED', messageName: 'users.create' });
    // The handler's text stays on the server; the page gets a correlation id to quote.
    expect(error.message).not.toContain('database offline');
    const { correlationId } = error as RemoteError;
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(correlationId);
  });

  it('rejects with a TimeoutError after its timeout, and the bridge drops the stream', async () => {
    const release = deferred<void>();
    await using landscape = await startBridgeLandscape({
      handlers: { slow: () => release.promise },
    });
    const client = createBrowserRelay({ url: landscape.url });

    const error = await rejectionOf(client.request('slow', undefined, { timeout: 50 }));

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'EXORELAY_TIMEOUT', messageName: 'slow', timeoutMs: 50 });
    await eventually(() => landscape.web.stats.pendingReplyStreams === 0);
    release.resolve();
  });

  it('rejects with an AbortedError when its signal aborts', async () => {
    const release = deferred<void>();
    await using landscape = await startBridgeLandscape({
      handlers: { slow: () => release.promise },
    });
    const client = createBrowserRelay({ url: landscape.url });
    const controller = new AbortController();

    const pending = client.request('slow', undefined, { signal: controller.signal });
    controller.abort(new Error('the user navigated away'));
    const error = await rejectionOf(pending);

    expect(error).toBeInstanceOf(AbortedError);
    expect((error.cause as Error).message).toBe('the user navigated away');
    release.resolve();
  });

  it('rejects with a NoRespondersError when no service receives the message', async () => {
    await using landscape = await startBridgeLandscape({ bridge: { allow: { send: ['nobody.home'] } } });
    const client = createBrowserRelay({ url: landscape.url });

    expect(await rejectionOf(client.request('nobody.home'))).toBeInstanceOf(NoRespondersError);
  });

  it("reports the bridge's own stream failures with their code", async () => {
    await using landscape = await startBridgeLandscape({
      handlers: { quiet: () => {} },
      bridge: { allow: { send: ['quiet'] }, idleTimeout: 30 },
    });
    const client = createBrowserRelay({ url: landscape.url });

    const error = await rejectionOf(client.request('quiet'));

    expect(error).toBeInstanceOf(StreamFailedError);
    expect(error).toMatchObject({ code: 'EXORELAY_STREAM_FAILED', serverCode: 'EXORELAY_TIMEOUT' });
  });

  it('rejects with a BridgeConnectionError when the bridge cannot be reached', async () => {
    const client = createBrowserRelay({ url: 'http://127.0.0.1:1/bridge' });

    const error = await rejectionOf(client.request('anything'));

    expect(error).toBeInstanceOf(BridgeConnectionError);
    expect(error.message).toBe(
      'the connection to the bridge at http://127.0.0.1:1/bridge/send/anything failed or broke',
    );
  });
});
