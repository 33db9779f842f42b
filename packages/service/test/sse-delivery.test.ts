import { resolve } from 'node:path';
import { startExoCom } from 'exocom';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { contracts } from './fixtures/contracts.js';
import { startRunner } from './support/runner-process.js';

const worker = resolve(import.meta.dirname, 'fixtures/worker-service.ts');

describe('EXORELAY_DELIVERY=sse', () => {
  it('has the bus deliver over an event stream the service opens, with no message port', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    await using runner = startRunner(['run', worker], {
      env: { EXOCOM_PORT: String(bus.port), EXORELAY_DELIVERY: 'sse' },
    });
    await runner.waitForLine(/^worker ready: messages over its transport/);
    const instance = await bus.waitForInstance({ service: 'worker', receives: ['work.do'] });
    expect(instance.eventStream?.connected).toBe(true);

    const client = new ExoRelay({ serviceName: 'client', exocomPort: bus.port, exocomHost: '127.0.0.1', contracts });
    await using _client = Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
    await client.listen(0);
    const reply = await client.request('work.do', { job: 2, ms: 0 });
    expect(reply.payload).toEqual({ job: 2, by: runner.child.pid });

    runner.child.kill('SIGTERM');
    expect(await runner.exited).toBe(0);
  }, 60_000);
});
