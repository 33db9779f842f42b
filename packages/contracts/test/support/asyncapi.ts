import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AsyncAPIDocument } from '../../src/index.js';

const script = fileURLToPath(new URL('./asyncapi-diagnostics.mjs', import.meta.url));

/** The errors and warnings the official AsyncAPI parser finds in `document` (hints left out). */
export function asyncAPIProblems(document: AsyncAPIDocument): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [script], (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as string[]);
    });
    child.stdin?.end(JSON.stringify(document));
  });
}
