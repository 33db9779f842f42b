import { resolve } from 'node:path';
import { startExoCom } from 'exocom';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { contracts } from './fixtures/contracts.js';
import { startRunner, waitUntilReady } from './support/runner-process.js';

const worker = resolve(import.meta.dirname, 'fixtures/worker-service.ts');

function clientOf(exocomPort: number) {
  const client = new ExoRelay({ serviceName: 'client', exocomPort, exocomHost: '127.0.0.1', contracts });
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

/** A bus, one worker run by exoservice, and a client that listens for replies; all stopped on dispose. */
async function startOneWorker() {
  const bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
  const runner = startRunner(['run', worker], { env: { EXOCOM_PORT: String(bus.port) } });
  const { port } = await waitUntilReady(runner);
  await bus.waitForInstance({ service: 'worker', port, receives: ['work.do'] });
  const client = clientOf(bus.port);
  await client.listen(0);
  return {
    runner,
    client,
    async [Symbol.asyncDispose]() {
      await client.close();
      await runner[Symbol.asyncDispose]();
      await bus.close();
    },
  };
}

describe('SIGTERM under load', () => {
  it('loses no request when one of two instances stops while requests keep coming', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    const env = { EXOCOM_PORT: String(bus.port) };
    await using first = startRunner(['run', worker], { env });
    await using second = startRunner(['run', worker], { env });
    const [one, two] = await Promise.all([waitUntilReady(first), waitUntilReady(second)]);
    await bus.waitForInstance({ service: 'worker', port: one.port, receives: ['work.do'] });
    await bus.waitForInstance({ service: 'worker', port: two.port, receives: ['work.do'] });
    await using client = clientOf(bus.port);
    await client.listen(0);

    const total = 300;
    const stopAt = 80;
    let next = 0;
    const outcomes: (number | Error)[] = [];
    const runLoad = async () => {
      while (next < total) {
        const job = next++;
        if (job === stopAt) first.child.kill('SIGTERM');
        const reply = await client.request('work.do', { job, ms: 15 }).then(
          (answer) => answer.payload.by,
          (error: Error) => error,
        );
        outcomes.push(reply);
      }
    };
    await Promise.all(Array.from({ length: 16 }, runLoad));

    expect(await first.exited).toBe(0);
    const failures = outcomes.filter((outcome) => outcome instanceof Error);
    expect(failures.map((failure) => (failure as Error).message)).toEqual([]);
    expect(outcomes).toHaveLength(total);
    const pids = new Set(outcomes);
    expect(pids).toContain(first.child.pid);
    expect(pids).toContain(second.child.pid);
    expect(first.lines).toContain('worker: afterAll: afterAll ran');
  }, 60_000);

  it('lets the handlers running at SIGTERM finish, then runs afterAll and exits 0', async () => {
    await using landscape = await startOneWorker();
    const { runner, client } = landscape;

    const replies = [1, 2, 3].map((job) => client.request('work.do', { job, ms: 400 }));
    await Promise.all([1, 2, 3].map((job) => runner.waitForLine(new RegExp(`job ${job} started`))));
    runner.child.kill('SIGTERM');

    const answers = await Promise.all(replies);
    expect(answers.map((answer) => answer.payload.job)).toEqual([1, 2, 3]);
    expect(await runner.exited).toBe(0);
    const afterAll = runner.lines.indexOf('worker: afterAll: afterAll ran');
    expect(afterAll).toBeGreaterThan(runner.lines.findIndex((line) => line.includes('job 3 started')));
  }, 60_000);

  it('exits at once on a second signal', async () => {
    await using landscape = await startOneWorker();
    const { runner, client } = landscape;
    client.on('error', () => {});

    const pending = client
      .request('work.do', { job: 1, ms: 20_000 }, { timeout: 30_000 })
      .catch((error: Error) => error);
    await runner.waitForLine(/job 1 started/);
    runner.child.kill('SIGTERM');
    await runner.waitForLine(/SIGTERM, stopping/);
    runner.child.kill('SIGTERM');

    expect(await runner.exited).toBe(143);
    expect(runner.lines).not.toContain('worker: afterAll: afterAll ran');
    await client.close();
    expect(await pending).toBeInstanceOf(Error);
  }, 60_000);
});
