import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRunner } from './support/runner-process.js';

const broken = resolve(import.meta.dirname, 'fixtures/failing-hook-service.ts');

describe('a hook that throws', () => {
  it('makes exoservice exit 1 with the error, before the service listens', async () => {
    // Nothing listens on this port: beforeAll fails before the relay would need the bus.
    await using runner = startRunner(['run', broken], { env: { EXOCOM_PORT: '1' } });
    expect(await runner.exited).toBe(1);
    expect(runner.stderr()).toMatch(
      /^exoservice: beforeAll of service 'broken' failed: cannot open the database\nError: cannot open the database\n {4}at /,
    );
    expect(runner.lines.some((line) => line.includes('ready'))).toBe(false);
  }, 30_000);
});
