import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureTestServers, MissingTestServersError } from './ensure-test-servers.js';

const run = promisify(execFile);

/** A temporary machine: a PATH folder and a "Debian" folder, both without the servers; removed on dispose. */
async function tempMachine() {
  const root = await mkdtemp(join(tmpdir(), 'exorelay-fresh-machine-'));
  const path = join(root, 'path');
  const debian = join(root, 'debian');
  await mkdir(path);
  await mkdir(debian);
  return { root, path, debian, [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }) };
}

async function writeExecutable(file: string, script: string): Promise<void> {
  await writeFile(file, `#!/bin/sh\n${script}`);
  await chmod(file, 0o755);
}

/** An `apt-get` that logs its arguments and "installs" each package as an executable in `into`. */
async function fakeAptGet(folder: string, into: string, { exitCode = 0 } = {}): Promise<string> {
  const log = join(folder, 'apt-get.log');
  await writeExecutable(
    join(folder, 'apt-get'),
    [
      `echo "$*" >> '${log}'`,
      `[ ${exitCode} -ne 0 ] && { echo 'E: Unable to locate package' >&2; exit ${exitCode}; }`,
      `[ "$1" = install ] && for package in "$@"; do case "$package" in -*|install) ;; *) printf '#!/bin/sh\\n' > '${into}'/"$package"; chmod +x '${into}'/"$package";; esac; done`,
      'exit 0',
      '',
    ].join('\n'),
  );
  return log;
}

describe('the test set-up on a machine without nats-server and chromium on the PATH', () => {
  it('finds them in the Debian folders, as the README command does on a fresh machine', async () => {
    await using machine = await tempMachine();
    // The set-up step on its own, with a PATH that has neither server (only an empty temporary folder).
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test-setup/ensure-test-servers.ts'], {
      env: { ...process.env, PATH: machine.path },
    });
    expect(stdout.trim().split('\n')).toEqual([
      `nats-server: ${process.env.EXORELAY_NATS_SERVER}`,
      `chromium: ${process.env.EXORELAY_CHROMIUM}`,
    ]);
  });

  it('installs the missing ones with apt-get update once and a quiet install, and says so in one line', async () => {
    await using machine = await tempMachine();
    const log = await fakeAptGet(machine.path, machine.debian);
    const said: string[] = [];

    const found = await ensureTestServers({
      path: machine.path,
      fallbackFolders: [machine.debian],
      mayInstall: true,
      say: (line) => said.push(line),
    });

    expect(said).toEqual([
      'test set-up: installing nats-server, chromium with apt-get (not found on PATH nor in the Debian folders)',
    ]);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([
      'update -qq',
      'install -y -qq nats-server chromium',
    ]);
    expect(Object.fromEntries(found)).toEqual({
      'nats-server': join(machine.debian, 'nats-server'),
      chromium: join(machine.debian, 'chromium'),
    });
  });

  it('installs only what is missing and uses what is on the PATH', async () => {
    await using machine = await tempMachine();
    await writeExecutable(join(machine.path, 'nats-server'), '');
    const log = await fakeAptGet(machine.path, machine.debian);

    const found = await ensureTestServers({
      path: machine.path,
      fallbackFolders: [machine.debian],
      mayInstall: true,
      say: () => {},
    });

    expect(await readFile(log, 'utf8')).toContain('install -y -qq chromium\n');
    expect(found.get('nats-server')).toBe(join(machine.path, 'nats-server'));
    expect(found.get('chromium')).toBe(join(machine.debian, 'chromium'));
  });

  it('stops with the one command to run when it may not install', async () => {
    await using machine = await tempMachine();
    const log = await fakeAptGet(machine.path, machine.debian);

    const error = await ensureTestServers({ path: machine.path, fallbackFolders: [machine.debian], mayInstall: false })
      .then(() => undefined)
      .catch((error: unknown) => error);

    expect(error).toBeInstanceOf(MissingTestServersError);
    expect((error as Error).message).toMatch(
      /run 'sudo apt-get install -y nats-server chromium', then the tests again$/,
    );
    expect((error as Error).message).not.toContain('\n');
    await expect(readFile(log, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops with apt-get last words and the command when the install fails', async () => {
    await using machine = await tempMachine();
    await fakeAptGet(machine.path, machine.debian, { exitCode: 100 });

    const error = await ensureTestServers({
      path: machine.path,
      fallbackFolders: [machine.debian],
      mayInstall: true,
      say: () => {},
    }).catch((error: unknown) => error);

    expect((error as Error).message).toBe(
      "installing with apt-get failed (E: Unable to locate package): run 'apt-get install -y nats-server chromium'",
    );
  });
});
