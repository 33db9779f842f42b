import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rejectionOf } from '@exorelay/conformance';
import {
  ConfigError,
  ExoRelay,
  MessageRejectedError,
  type RelayOptions,
  sseTransport,
  type TransportStatus,
  type UntypedMessages,
} from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';

/** A relay receiving over SSE from a bus at `port`, closed on dispose. */
function sseRelay(port: number, options: Partial<RelayOptions<UntypedMessages>> = {}): ExoRelay & AsyncDisposable {
  const relay = new ExoRelay({
    serviceName: 'web',
    exocomPort: port,
    exocomHost: '127.0.0.1',
    delivery: 'sse',
    ...options,
  });
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

describe('the SSE transport', () => {
  it("is what delivery: 'sse' builds; its options are checked", () => {
    expect(() => new ExoRelay({ serviceName: 'web', exocomPort: 3100, delivery: 'sse' })).not.toThrow();
    const cases: [() => unknown, string][] = [
      [
        () => new ExoRelay({ serviceName: 'web', exocomPort: 3100, delivery: 'push' as 'sse' }),
        `delivery must be 'http' or 'sse', got "push"`,
      ],
      [
        () => new ExoRelay({ serviceName: 'web', exocomPort: 3100, delivery: 'sse', sse: { heartbeatTimeout: 0 } }),
        'sse.heartbeatTimeout must be a positive number, got 0',
      ],
      [() => sseTransport({ exocomPort: 3100, retries: 1.5 }), 'sse.retries must be 0 or a positive integer, got 1.5'],
      [() => sseTransport({ exocomPort: 70_000 }), 'exocomPort must be a port number, got 70000'],
    ];
    for (const [build, text] of cases) expect(build).toThrow(new ConfigError(text));
  });

  it('listen() rejects at once with MessageRejectedError when the bus refuses the stream (no SSE delivery)', async () => {
    const requests: string[] = [];
    const oldBus = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /events');
    });
    oldBus.listen(0, '127.0.0.1');
    await pEvent(oldBus, 'listening');
    const { port } = oldBus.address() as AddressInfo;
    await using relay = sseRelay(port);
    relay.on('error', () => {});
    relay.registerHandler('web.notify', () => {});

    const error = await rejectionOf(relay.listen());

    expect(error).toBeInstanceOf(MessageRejectedError);
    expect(error.message).toBe("the bus refused message 'GET /events' with status 404: not found: /events");
    expect(requests).toEqual(['GET /events?service=web&receives=web.notify']);
    oldBus.close();
  });

  it('reports online when its stream opens and offline when it closes, binding no port', async () => {
    const requests: string[] = [];
    const bus = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      if (request.method === 'POST') return void response.end('deregistered');
      response.writeHead(200, { 'content-type': 'text/event-stream', 'exorelay-instance': 'i-1' }).flushHeaders();
    });
    bus.listen(0, '127.0.0.1');
    await pEvent(bus, 'listening');
    const { port } = bus.address() as AddressInfo;
    const relay = sseRelay(port);
    const statuses: TransportStatus[] = [];
    relay.on('status', (status) => statuses.push(status));

    expect(await relay.listen(4000)).toBeUndefined();
    await relay.close();
    bus.closeAllConnections();
    bus.close();

    expect(statuses).toEqual([{ type: 'online', address: `http://127.0.0.1:${port}/events` }, { type: 'offline' }]);
    expect(requests).toEqual(['GET /events?service=web', 'POST /deregister']);
  });
});
