import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';

describe('nats-server fixture', () => {
  it('fails loudly, never skips, when nats-server is not installed', async () => {
    const error = await startNatsServer({ binary: 'nats-server-that-is-not-installed' }).catch((error: Error) => error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('apt-get install nats-server');
  });

  it('starts on a free port that accepts connections, and frees it on dispose', async () => {
    const server = await startNatsServer();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    await server.close();
    const again = await startNatsServer({ port: server.port });
    expect(again.port).toBe(server.port);
    await again.close();
  });
});
