import { resolve } from 'node:path';
import { startExoCom } from 'exocom';
import { describe, expect, it } from 'vitest';
import { startRunner } from './support/runner-process.js';

const slow = resolve(import.meta.dirname, 'fixtures/slow-start-service.ts');

describe('SIGTERM while beforeAll runs', () => {
  it('lets the start finish, then stops cleanly: afterAll runs and the exit code is 0', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    await using runner = startRunner(['run', slow], { env: { EXOCOM_PORT: String(bus.port) } });
    await runner.waitForLine(/^slow: beforeAll: opening$/);
    runner.child.kill('SIGTERM');

    expect(await runner.exited).toBe(0);
    expect(runner.lines.filter((line) => !line.includes(' ready: '))).toEqual([
      'slow: beforeAll: opening',
      'slow: beforeAll: opened',
      'slow: SIGTERM, stopping (send it again to exit at once)',
      'slow: afterAll: closed',
    ]);
  }, 30_000);
});
