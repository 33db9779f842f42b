import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AsyncAPIDocument } from '../../src/index.js';

const script = fileURLToPath(new URL('./asyncapi-diagnostics.mjs', import.meta.url));

/** The official AsyncAPI parser in a process of its own, ended on dispose. */
export interface AsyncAPIParser extends AsyncDisposable {
  /** The errors and warnings the parser finds in `document` (hints left out). */
  problems(document: AsyncAPIDocument): Promise<string[]>;
}

/** Starts the parser once for many documents: loading it takes seconds, parsing one takes milliseconds. */
export function startAsyncAPIParser(): AsyncAPIParser {
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  // Documents are parsed one after another, so answers come in the order of the questions.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    problems(document) {
      const answer = queue.then(async () => {
        child.stdin.write(`${JSON.stringify(document)}\n`);
        const line = await answers.next();
        if (line.done === true) throw new Error(`the AsyncAPI parser ended without an answer:\n${stderr}`);
        return JSON.parse(line.value) as string[];
      });
      queue = answer.catch(() => undefined);
      return answer;
    },
    async [Symbol.asyncDispose]() {
      child.stdin.end();
      await exited;
    },
  };
}
