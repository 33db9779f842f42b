import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const credentials = { services: { users: 'users-secret-0123456789abcdef' }, admin: 'admin-secret-0123456789abcdef' };

/** Runs the CLI until it prints its port (then stops it) or exits; resolves with what it said. */
async function runCli(args: string[], environment: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--conditions=@exorelay/source', '--import', 'tsx', 'packages/exocom/src/cli/main.ts', '--quiet', ...args],
    { cwd: root, env: { ...process.env, NO_COLOR: '1', ...environment }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = new Promise<number | undefined>((done) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(line);
      if (match !== null) done(Number(match[1]));
    });
    void exited.then(() => done(undefined));
  });
  const listening = await port;
  let registration: number | undefined;
  if (listening !== undefined) {
    const answer = await fetch(`http://127.0.0.1:${listening}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceName: 'users', host: '127.0.0.1', port: 9, receives: [] }),
    });
    registration = answer.status;
    child.kill('SIGTERM');
  }
  return { code: await exited, stderr, listening, registration };
}

describe('exocom CLI credentials', () => {
  it('refuses to listen beyond loopback without credentials, in one line', async () => {
    const result = await runCli(['--port', '0', '--host', '0.0.0.0']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'refusing to listen on 0.0.0.0 without credentials: configure auth (EXOCOM_TOKENS_FILE) or pass --insecure',
    ]);
  }, 30_000);

  it('reads credentials from --tokens FILE and refuses an anonymous registration', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'exocom-tokens-'));
    await using _folder = { [Symbol.asyncDispose]: () => rm(folder, { recursive: true, force: true }) };
    const file = join(folder, 'tokens.json');
    await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
    const result = await runCli(['--port', '0', '--host', '0.0.0.0', '--tokens', file]);
    expect(result.listening).toBeGreaterThan(0);
    expect(result.registration).toBe(401);
    expect(result.code).toBe(0);
  }, 30_000);

  it('reads credentials from $EXOCOM_TOKENS and never prints them', async () => {
    const result = await runCli(['--port', '0'], { EXOCOM_TOKENS: JSON.stringify(credentials) });
    expect(result.registration).toBe(401);
    const bad = await runCli(['--port', '0'], {
      EXOCOM_TOKENS: JSON.stringify({ services: { users: 'too-short' } }),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('$EXOCOM_TOKENS.services.users must be a secret of at least 16 characters');
    expect(bad.stderr).not.toContain('too-short');
  }, 30_000);
});
