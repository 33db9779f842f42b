import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export const repositoryRoot = resolve(import.meta.dirname, '../../../..');
const cli = resolve(repositoryRoot, 'packages/service/src/cli/main.ts');
// By path, so the CLI starts from any working folder (a scaffolded service's).
const tsxLoader = pathToFileURL(resolve(repositoryRoot, 'node_modules/tsx/dist/loader.mjs')).href;

export interface RunnerProcess extends AsyncDisposable {
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: string[];
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** Resolves with the first stdout line (past or future) that matches; rejects if the process exits first. */
  waitForLine(pattern: RegExp): Promise<RegExpExecArray>;
}

/**
 * `exoservice ARGS` in a child process, from source (tsx loads the CLI; the CLI loads the
 * service module itself). Killed and awaited on dispose.
 */
export function startRunner(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): RunnerProcess {
  const child = spawn(process.execPath, ['--conditions=@exorelay/source', '--import', tsxLoader, cli, ...args], {
    cwd: options.cwd ?? repositoryRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) waiter(line);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(pattern) {
      return new Promise((resolveLine, reject) => {
        const check = (line: string) => {
          const match = pattern.exec(line);
          if (match === null) return false;
          waiters.delete(check);
          resolveLine(match);
          return true;
        };
        if (lines.some(check)) return;
        waiters.add(check);
        void exited.then((code) => {
          if (!waiters.delete(check)) return;
          reject(
            new Error(
              `exoservice exited (${code}) before printing ${pattern}\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          );
        });
      });
    },
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The ports from the runner's ready line. */
export async function waitUntilReady(runner: RunnerProcess): Promise<{ port: number; healthPort: number }> {
  const match = await runner.waitForLine(/ready: messages on port (\d+), \/healthz \/readyz \/metrics on port (\d+)/);
  return { port: Number(match[1]), healthPort: Number(match[2]) };
}
