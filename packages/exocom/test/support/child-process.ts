import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** A script of `support/processes` running in its own node process, from source; killed on dispose. */
export interface ScriptProcess extends AsyncDisposable {
  readonly child: ChildProcess;
  /** The next JSON line it prints. */
  next<T>(): Promise<T>;
  /** Every further line it prints, until it ends. */
  readonly lines: AsyncIterator<string>;
  /** Resolves with its exit code. */
  readonly exited: Promise<number | null>;
}

export function startScript(script: string, args: (string | number)[] = []): ScriptProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@exorelay/source',
      '--import',
      'tsx',
      `packages/exocom/test/support/processes/${script}`,
      ...args.map(String),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    child,
    lines,
    exited,
    async next<T>() {
      const line = await lines.next();
      if (line.done === true) throw new Error(`${script} ended without printing`);
      return JSON.parse(line.value) as T;
    },
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}
