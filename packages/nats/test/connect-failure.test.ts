import { createServer } from 'node:net';
import { NatsUnreachableError } from '@exorelay/nats';
import { type ExoRelay, RelayClosedError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsRelay } from './support/relays.js';

/** A loopback port nothing listens on: bound, noted, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connect failure', () => {
  it('listen() rejects with NatsUnreachableError naming the servers, and emits it', async () => {
    const url = `nats://127.0.0.1:${await closedPort()}`;
    await using relay = await startNatsRelay(url, 'users', { listen: false });
    const emitted: Error[] = [];
    relay.on('error', (error) => emitted.push(error));
    const error = await relay.listen().catch((error: Error) => error);
    expect(error).toBeInstanceOf(NatsUnreachableError);
    expect(error).toMatchObject({ code: 'EXORELAY_NATS_UNREACHABLE', servers: [url] });
    expect((error as Error).message).toContain(url);
    expect(emitted).toEqual([error]);
  });

  it('a send without a reachable server fails its stream with NatsUnreachableError', async () => {
    await using relay = await startNatsRelay(`nats://127.0.0.1:${await closedPort()}`, 'web', { listen: false });
    relay.on('error', () => {});
    await expect(relay.request('anything')).rejects.toBeInstanceOf(NatsUnreachableError);
  });

  it('a closed relay refuses to send before it ever connected', async () => {
    const relay: ExoRelay = await startNatsRelay(`nats://127.0.0.1:${await closedPort()}`, 'web', { listen: false });
    await relay.close();
    relay.on('error', () => {});
    await expect(relay.request('anything')).rejects.toBeInstanceOf(RelayClosedError);
  });
});
