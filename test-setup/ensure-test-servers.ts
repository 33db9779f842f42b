import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Makes sure the real servers the suite drives (`nats-server`, `chromium`) are on this machine
 * before any test starts, so that the README's test command works on a fresh machine.
 *
 * Runs as vitest `globalSetup` and on its own (`node --import tsx test-setup/ensure-test-servers.ts`).
 * It looks on the PATH and then in the usual Debian folders; it installs what is missing when it
 * can (root with apt-get), saying so in one line; otherwise it stops at once with one line that
 * names the command to run. The paths it found go to the tests in `EXORELAY_NATS_SERVER` and
 * `EXORELAY_CHROMIUM`.
 */

/** A server the suite starts, the Debian package that has it, and the variable that hands its path to the tests. */
export interface TestServer {
  readonly executable: string;
  readonly debianPackage: string;
  readonly envVar: string;
}

export const testServers: readonly TestServer[] = [
  { executable: 'nats-server', debianPackage: 'nats-server', envVar: 'EXORELAY_NATS_SERVER' },
  { executable: 'chromium', debianPackage: 'chromium', envVar: 'EXORELAY_CHROMIUM' },
];

/** Where Debian puts executables; searched after the PATH, which may not have the sbin folders. */
export const debianFolders: readonly string[] = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

export interface EnsureTestServersOptions {
  /** The search path, as in `PATH`. @default process.env.PATH */
  path?: string;
  /** Searched after `path`. @default debianFolders */
  fallbackFolders?: readonly string[];
  /** Whether this process may install Debian packages. @default running as root */
  mayInstall?: boolean;
  /** Where the one-line notices go. @default stderr */
  say?: (line: string) => void;
}

/** What the set-up cannot fix by itself; its message is the one line to show. */
export class MissingTestServersError extends Error {
  readonly code = 'EXORELAY_TEST_SERVERS_MISSING';
  readonly missing: readonly string[];

  constructor(message: string, missing: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MissingTestServersError';
    this.missing = missing;
  }
}

const run = promisify(execFile);

/** Finds (or installs) every test server; resolves to executable name → absolute path. */
export async function ensureTestServers(options: EnsureTestServersOptions = {}): Promise<Map<string, string>> {
  const folders = searchFolders(options);
  const found = await findAll(folders);
  const missing = testServers.filter((server) => !found.has(server.executable));
  if (missing.length === 0) return found;

  const packages = missing.map((server) => server.debianPackage);
  const installCommand = `apt-get install -y ${packages.join(' ')}`;
  const aptGet = await findExecutable('apt-get', folders);
  const mayInstall = options.mayInstall ?? process.getuid?.() === 0;
  const names = missing.map((server) => server.executable).join(' and ');
  if (aptGet === undefined) {
    throw new MissingTestServersError(
      `the tests need ${names}, not found on PATH nor in ${debianFolders.join(', ')}: install ${packages.join(' and ')} and put them on PATH (Debian: ${installCommand})`,
      packages,
    );
  }
  if (!mayInstall) {
    throw new MissingTestServersError(
      `the tests need ${names}, not found on PATH nor in ${debianFolders.join(', ')}: run 'sudo ${installCommand}', then the tests again`,
      packages,
    );
  }

  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  say(`test set-up: installing ${packages.join(', ')} with apt-get (not found on PATH nor in the Debian folders)`);
  await install(aptGet, packages, installCommand);
  const afterInstall = await findAll(folders);
  const stillMissing = missing.filter((server) => !afterInstall.has(server.executable));
  if (stillMissing.length > 0) {
    const what = stillMissing.map((server) => server.executable).join(' and ');
    throw new MissingTestServersError(
      `'${installCommand}' succeeded but ${what} is still not found: put it on PATH`,
      stillMissing.map((server) => server.debianPackage),
    );
  }
  return afterInstall;
}

function searchFolders(options: EnsureTestServersOptions): string[] {
  const path = options.path ?? process.env.PATH ?? '';
  const fromPath = path.split(delimiter).filter((folder) => folder !== '');
  return [...new Set([...fromPath, ...(options.fallbackFolders ?? debianFolders)])];
}

async function findAll(folders: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const server of testServers) {
    const file = await findExecutable(server.executable, folders);
    if (file !== undefined) found.set(server.executable, file);
  }
  return found;
}

async function findExecutable(name: string, folders: readonly string[]): Promise<string | undefined> {
  for (const folder of folders) {
    const file = join(folder, name);
    try {
      await access(file, constants.X_OK);
      if ((await stat(file)).isFile()) return file;
    } catch {
      // not in this folder: look in the next
    }
  }
  return undefined;
}

/** `apt-get update` once, then a quiet install; a failure becomes one line with apt-get's last words. */
async function install(aptGet: string, packages: readonly string[], installCommand: string): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const options = { env, maxBuffer: 64 * 1024 * 1024 };
  try {
    await run(aptGet, ['update', '-qq'], options);
    await run(aptGet, ['install', '-y', '-qq', ...packages], options);
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const lastWords = (stderr ?? '').trim().split('\n').at(-1) || message.split('\n')[0];
    throw new MissingTestServersError(
      `installing with apt-get failed (${lastWords}): run '${installCommand}'`,
      packages,
      {
        cause: error,
      },
    );
  }
}

/** Vitest globalSetup: stops the run with one line when a server is missing and cannot be installed. */
export default async function setup(): Promise<void> {
  try {
    const found = await ensureTestServers();
    for (const server of testServers) process.env[server.envVar] = found.get(server.executable);
  } catch (error) {
    if (!(error instanceof MissingTestServersError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

// Run on its own: print where each server is, or the one line saying what to do.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureTestServers().then(
    (found) => {
      for (const [executable, file] of found) process.stdout.write(`${executable}: ${file}\n`);
    },
    (error: Error) => {
      process.stderr.write(`${error instanceof MissingTestServersError ? error.message : error.stack}\n`);
      process.exitCode = 1;
    },
  );
}
