import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '../../../..');

/** The CLI in a child process, from source; killed and awaited on dispose. */
export function startCli(args: string[]) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@exorelay/source', '--import', 'tsx', 'packages/exocom/src/cli/main.ts', ...args],
    { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitForLine = async (pattern: RegExp, timeout = 20_000): Promise<string> => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const line = lines.find((candidate) => pattern.test(candidate));
      if (line !== undefined) return line;
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`no line matching ${pattern}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`);
      }
      await new Promise((done) => setTimeout(done, 10));
    }
  };
  return {
    lines,
    stderr: () => stderr,
    exited,
    waitForLine,
    async stop(): Promise<number | null> {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async [Symbol.asyncDispose]() {
      await this.stop();
    },
  };
}

/** The port the CLI says it listens on. */
export async function startListening(cli: ReturnType<typeof startCli>): Promise<number> {
  const line = await cli.waitForLine(/^ExoCom listening on /);
  return Number(line.split(':').at(-1));
}
