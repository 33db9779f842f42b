import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const builtCli = resolve(import.meta.dirname, '../dist/cli/main.js');
const fixture = resolve(import.meta.dirname, 'fixtures/failing-hook-service.ts');

describe('exoservice run with a TypeScript module', () => {
  it('loads it with plain node: no --import, no loader flag from the user', async () => {
    try {
      await access(builtCli);
    } catch {
      throw new Error(`${builtCli} is missing: build first with 'pnpm build' (CI's typecheck step does)`);
    }
    // The built CLI as users get it; the fixture's beforeAll throws, which proves the TypeScript ran.
    const child = spawn(process.execPath, [builtCli, 'run', fixture], {
      cwd: resolve(import.meta.dirname, '..'),
      env: { ...process.env, EXOCOM_PORT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(stderr).toMatch(/^exoservice: beforeAll of service 'broken' failed: cannot open the database\n/);
    expect(stderr).toContain('failing-hook-service.ts:');
    expect(code).toBe(1);
  }, 30_000);
});
