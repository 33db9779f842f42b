import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { ProgressBar } from './progress-bar.js';
import type { Terminal } from './terminal.js';

export interface ScenarioContext {
  webPort: number;
  filesRoot: string;
  /** The seeded file the scenario copies and reads. */
  file: string;
  terminal: Terminal;
}

export interface Step {
  title: string;
  /** Resolves when the step went as expected; throws with what went wrong otherwise. */
  run(context: ScenarioContext): Promise<void>;
}

const picard = { name: 'Jean-Luc Picard', email: 'picard@enterprise.example' };

/** The scripted scenario: every kind of exchange, through the web server's plain HTTP routes. */
export const steps: Step[] = [
  {
    title: 'create a user (request → users.created)',
    async run({ webPort }) {
      const { status, body } = await call(webPort, 'POST', '/users', picard);
      expect(status === 201, `expected 201, got ${status} ${JSON.stringify(body)}`);
      expect(typeof (body as { id?: unknown }).id === 'string', 'the created user has no id');
    },
  },
  {
    title: 'create the same user again (another outcome: users.exists)',
    async run({ webPort }) {
      const { status } = await call(webPort, 'POST', '/users', picard);
      expect(status === 409, `expected 409 for a taken email, got ${status}`);
    },
  },
  {
    title: 'list users',
    async run({ webPort }) {
      const { status, body } = await call(webPort, 'GET', '/users');
      expect(
        status === 200 && Array.isArray(body) && body.length === 1,
        `expected one user, got ${JSON.stringify(body)}`,
      );
    },
  },
  {
    title: 'copy a file (progress replies, then file.copied)',
    async run({ webPort, file, filesRoot, terminal }) {
      const response = await request(`http://127.0.0.1:${webPort}/files/copy`, {
        method: 'POST',
        body: JSON.stringify({ from: file, to: `copy-of-${file}` }),
        headers: { 'content-type': 'application/json' },
      });
      const bar = new ProgressBar(terminal, file);
      const percents: number[] = [];
      let final: { outcome: string } | undefined;
      for await (const line of createInterface({ input: response.body })) {
        const reply = JSON.parse(line) as { outcome: string; payload: { copiedBytes: number; totalBytes: number } };
        if (reply.outcome !== 'file.copying') {
          final = reply;
          continue;
        }
        const percent = Math.floor((reply.payload.copiedBytes / Math.max(reply.payload.totalBytes, 1)) * 100);
        percents.push(percent);
        bar.update(percent);
      }
      bar.finish();
      expect(final?.outcome === 'file.copied', `expected file.copied, got ${JSON.stringify(final)}`);
      expect(percents.at(-1) === 100, `progress ended at ${percents.at(-1)}%, not 100%`);
      expect(
        percents.every((percent, index) => index === 0 || percent > (percents[index - 1] ?? 0)),
        'progress went backwards',
      );
      const original = await readFile(join(filesRoot, file), 'utf8');
      const copy = await readFile(join(filesRoot, `copy-of-${file}`), 'utf8');
      expect(copy === original, 'the copy differs from the original');
    },
  },
  {
    title: 'read the copy as a stream of chunks (file.read-chunk … file.read-done)',
    async run({ webPort, file, filesRoot }) {
      const { status, text } = await call(webPort, 'GET', `/files/content?path=copy-of-${file}`);
      const original = await readFile(join(filesRoot, file), 'utf8');
      expect(status === 200, `expected 200, got ${status}`);
      expect(text === original, `the streamed content differs (${text.length} of ${original.length} characters)`);
    },
  },
  {
    title: 'read a file that does not exist (file.not-found)',
    async run({ webPort }) {
      const { status } = await call(webPort, 'GET', '/files/content?path=no-such-file.txt');
      expect(status === 404, `expected 404, got ${status}`);
    },
  },
];

async function call(webPort: number, method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await request(`http://127.0.0.1:${webPort}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  const text = await response.body.text();
  const isJson = response.headers['content-type'] === 'application/json';
  return { status: response.statusCode, text, body: isJson ? (JSON.parse(text) as unknown) : undefined };
}

function expect(condition: boolean, failure: string): asserts condition {
  if (!condition) throw new Error(failure);
}
