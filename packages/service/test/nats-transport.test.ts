import { resolve } from 'node:path';
import { natsTransport } from '@exorelay/nats';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { contracts } from './fixtures/contracts.js';
import { startNatsServer } from './support/nats-server.js';
import { startRunner } from './support/runner-process.js';

const worker = resolve(import.meta.dirname, 'fixtures/worker-service.ts');

describe('EXORELAY_TRANSPORT=nats', () => {
  it('runs the same service module on NATS, configured only by the environment', async () => {
    await using nats = await startNatsServer();
    await using runner = startRunner(['run', worker], {
      env: { EXORELAY_TRANSPORT: 'nats', NATS_URL: nats.url },
    });
    await runner.waitForLine(/^worker ready: messages over its transport, \/healthz \/readyz \/metrics on port \d+$/);

    const client = new ExoRelay({ serviceName: 'client', transport: natsTransport({ servers: nats.url }), contracts });
    await using _client = Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
    await client.listen();
    const reply = await client.request('work.do', { job: 1, ms: 0 });
    expect(reply.payload).toEqual({ job: 1, by: runner.child.pid });

    runner.child.kill('SIGTERM');
    expect(await runner.exited).toBe(0);
  }, 60_000);
});
