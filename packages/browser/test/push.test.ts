import { deferred, rejectionOf } from '@exorelay/conformance';
import type { PushedMessage } from '@exorelay/protocol';
import { describe, expect, it } from 'vitest';
import { ClientClosedError, createBrowserRelay, RefusedError } from '../src/index.js';
import { eventually, startBridgeLandscape } from './support/bridge-landscape.js';

describe('BrowserRelay#on', () => {
  it('hands every pushed message to its handlers over one event stream', async () => {
    await using landscape = await startBridgeLandscape({
      bridge: { allow: { receive: ['users.created', 'users.deleted'] } },
    });
    const client = createBrowserRelay({ url: landscape.url });
    const created: [unknown, PushedMessage][] = [];
    const deleted: unknown[] = [];
    client.on('users.created', (payload, message) => created.push([payload, message]));
    client.on('users.deleted', (payload) => deleted.push(payload));
    await eventually(() => landscape.bridge.connections === 1);

    await landscape.backend.send('users.created', { name: 'Data' }).sent;
    await landscape.backend.send('users.deleted', { name: 'Lore' }).sent;

    await eventually(() => created.length === 1 && deleted.length === 1);
    expect(created[0]?.[0]).toEqual({ name: 'Data' });
    expect(created[0]?.[1]).toMatchObject({ name: 'users.created', sender: 'backend' });
    expect(deleted).toEqual([{ name: 'Lore' }]);
    expect(landscape.bridge.connections).toBe(1);
    client.close();
    await eventually(() => landscape.bridge.connections === 0);
  });

  it('closes the event stream when its last handler is removed', async () => {
    await using landscape = await startBridgeLandscape({ bridge: { allow: { receive: ['tick'] } } });
    const client = createBrowserRelay({ url: landscape.url });
    const first = client.on('tick', () => {});
    const second = client.on('tick', () => {});
    await eventually(() => landscape.bridge.connections === 1);

    first();
    expect(landscape.bridge.connections).toBe(1);
    second();

    await eventually(() => landscape.bridge.connections === 0);
  });

  it('reconnects after a cut with Last-Event-ID: no message lost, none twice', async () => {
    await using landscape = await startBridgeLandscape({ bridge: { allow: { receive: ['tick'] } } });
    const reconnect = deferred<void>();
    const eventStreamHeaders: Headers[] = [];
    const gatedFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/events')) {
        eventStreamHeaders.push(new Headers(init?.headers));
        if (eventStreamHeaders.length > 1) await reconnect.promise;
      }
      return fetch(input, init);
    };
    const errors: Error[] = [];
    const client = createBrowserRelay({
      url: landscape.url,
      fetch: gatedFetch,
      reconnect: { initialDelay: 1, maxDelay: 1 },
      onError: (error) => errors.push(error),
    });
    const received: number[] = [];
    client.on('tick', (payload) => received.push(payload as number));
    // Another page, never cut: once it saw a tick, the bridge has pushed it.
    const observer = createBrowserRelay({ url: landscape.url });
    const observed: number[] = [];
    observer.on('tick', (payload) => observed.push(payload as number));
    await eventually(() => landscape.bridge.connections === 2);
    const tick = async (from: number, to: number) => {
      for (let count = from; count <= to; count += 1) await landscape.backend.send('tick', count).sent;
      await eventually(() => observed.length === to);
    };

    await tick(1, 100);
    await eventually(() => received.length === 100);
    landscape.cutConnections();
    await eventually(() => eventStreamHeaders.length === 2);
    await tick(101, 200);
    reconnect.resolve();
    await eventually(() => received.length >= 200);
    await tick(201, 300);

    await eventually(() => received.length >= 300);
    expect(received).toEqual(Array.from({ length: 300 }, (_, index) => index + 1));
    expect(eventStreamHeaders[0]?.get('last-event-id')).toBeNull();
    expect(eventStreamHeaders[1]?.get('last-event-id')).toMatch(/^[0-9a-f]{8}-100$/);
    expect(errors.length).toBeGreaterThan(0);
    client.close();
    observer.close();
  });

  it('reports a refused event stream and handler failures through onError', async () => {
    await using landscape = await startBridgeLandscape({
      bridge: { allow: { receive: ['tick'] }, authorize: (request) => request.headers['x-user'] },
    });
    const refusals: Error[] = [];
    const anonymous = createBrowserRelay({
      url: landscape.url,
      reconnect: { initialDelay: 60_000 },
      onError: (error) => refusals.push(error),
    });
    const failures: Error[] = [];
    const member = createBrowserRelay({
      url: landscape.url,
      headers: { 'x-user': 'picard' },
      onError: (error) => failures.push(error),
    });

    anonymous.on('tick', () => {});
    member.on('tick', async () => {
      throw new Error('the handler broke');
    });
    await eventually(() => refusals.length === 1 && landscape.bridge.connections === 1);
    await landscape.backend.send('tick', 1).sent;

    await eventually(() => failures.length === 1);
    expect(refusals[0]).toBeInstanceOf(RefusedError);
    expect(refusals[0]).toMatchObject({ status: 401, messageName: 'events' });
    expect(failures[0]?.message).toBe('the handler broke');
    anonymous.close();
    member.close();
  });
});

describe('BrowserRelay#close', () => {
  it('fails the open reply streams with a ClientClosedError, and refuses new work', async () => {
    const release = deferred<void>();
    await using landscape = await startBridgeLandscape({ handlers: { slow: () => release.promise } });
    const client = createBrowserRelay({ url: landscape.url });

    const pending = client.request('slow');
    await eventually(() => landscape.web.stats.pendingReplyStreams === 1);
    client.close();

    expect(await rejectionOf(pending)).toBeInstanceOf(ClientClosedError);
    expect(await rejectionOf(client.request('slow'))).toBeInstanceOf(ClientClosedError);
    expect(() => client.on('slow', () => {})).toThrow(ClientClosedError);
    await eventually(() => landscape.web.stats.pendingReplyStreams === 0);
    release.resolve();
  });
});
