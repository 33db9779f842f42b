import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, startRunner, waitUntilReady } from './support/runner-process.js';

/** What `npm install` would put into the new service's node_modules: links to this workspace. */
async function linkWorkspace(folder: string): Promise<void> {
  const packages = join(repositoryRoot, 'packages');
  const links: Record<string, string> = {
    '@exorelay/service': join(packages, 'service'),
    '@exorelay/contracts': join(packages, 'contracts'),
    '@exorelay/testing': join(packages, 'testing'),
    exorelay: join(packages, 'relay'),
    zod: await realpath(join(packages, 'service/node_modules/zod')),
  };
  for (const [name, target] of Object.entries(links)) {
    const link = join(folder, 'node_modules', name);
    await mkdir(resolve(link, '..'), { recursive: true });
    await symlink(target, link, 'dir');
  }
}

/** The exocom CLI on a free port; resolves with its port once it listens. */
function startExoComCli() {
  const child = spawn(
    process.execPath,
    ['--conditions=@exorelay/source', '--import', 'tsx', 'packages/exocom/src/cli/main.ts', '--port', '0'],
    { cwd: repositoryRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = new Promise<number>((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`exocom exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^ExoCom listening on http:\/\/[^:]+:(\d+)/.exec(line);
      if (match !== null) resolvePort(Number(match[1]));
    });
  });
  const exited = new Promise((done) => child.once('exit', done));
  return {
    port,
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('exoservice new, then exoservice run', () => {
  it('scaffolds a typed service that answers through the exocom CLI', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'exoservice-new-'));
    await using _workspace = { [Symbol.asyncDispose]: () => rm(workspace, { recursive: true, force: true }) };

    await using created = startRunner(['new', 'greeter'], { cwd: workspace });
    expect(await created.exited).toBe(0);
    const folder = join(workspace, 'greeter');
    expect((await readdir(folder, { recursive: true })).sort()).toEqual([
      'README.md',
      'package.json',
      'src',
      'src/contracts.ts',
      'src/service.ts',
      'test',
      'test/service.test.ts',
      'tsconfig.json',
    ]);
    await linkWorkspace(folder);

    await using bus = startExoComCli();
    const exocomPort = await bus.port;
    await using service = startRunner(['run'], { cwd: folder, env: { EXOCOM_PORT: String(exocomPort) } });
    await waitUntilReady(service);

    const client = new ExoRelay({ serviceName: 'client', exocomPort, exocomHost: '127.0.0.1' });
    await using _client = Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
    await client.listen(0);
    const reply = await client.request('greeter.greet', { name: 'Ada' });
    expect(reply).toMatchObject({ outcome: 'greeter.greeted', payload: { greeting: 'Hello, Ada!' } });

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.lines).toContain('greeter: afterAll: close them here');
  }, 60_000);

  it('refuses to scaffold into a folder that is not empty', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'exoservice-new-'));
    await using _workspace = { [Symbol.asyncDispose]: () => rm(workspace, { recursive: true, force: true }) };
    await mkdir(join(workspace, 'greeter', 'src'), { recursive: true });
    await using created = startRunner(['new', 'greeter'], { cwd: workspace });
    expect(await created.exited).toBe(2);
    expect(created.stderr()).toMatch(/^exoservice: .*greeter exists and is not empty/);
  }, 30_000);
});
