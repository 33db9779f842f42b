import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the bus on a free loopback port, to break the network between a
 * relay and the bus without touching either: `cut()` resets every connection open now,
 * `freeze()` stops passing bytes on them while leaving them open (a dead peer that did not say
 * so). New connections pass normally.
 */
export interface TcpProxy extends AsyncDisposable {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** SSE heartbeat comments (`: heartbeat`) the bus sent through so far, on all connections. */
  readonly heartbeats: number;
  cut(): void;
  freeze(): void;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const frozen = new Set<[Socket, Socket]>();
  let connections = 0;
  let heartbeats = 0;
  const server = createServer((client) => {
    connections += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on('data', (chunk: Buffer) => {
      heartbeats += chunk.toString('latin1').split(': heartbeat\n').length - 1;
    });
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) socket.on('error', forget).on('close', forget);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    get heartbeats() {
      return heartbeats;
    },
    cut() {
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      pairs.clear();
    },
    freeze() {
      for (const pair of pairs) {
        const [client, upstream] = pair;
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
        frozen.add(pair);
      }
      pairs.clear();
    },
    async [Symbol.asyncDispose]() {
      for (const [client, upstream] of [...pairs, ...frozen]) {
        client.destroy();
        upstream.destroy();
      }
      server.close();
    },
  };
}
