import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/index.js';

function memoryOutput() {
  const chunks: string[] = [];
  const output = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(output, { text: () => chunks.join('') });
}

describe('the demo', () => {
  it('runs the whole scenario in one process, with the flow log and the progress bar', async () => {
    const output = memoryOutput();
    const passed = await runDemo({ inProcess: true, output, progressPace: 0 });
    const text = output.text();
    expect(text).not.toContain('✘');
    expect(passed).toBe(true);
    expect(text).toContain('6 of 6 steps went as expected.');
    expect(text).toContain('web  --[ users.create ]->  users');
    expect(text).toContain('users  --[ users.created ]->  web (reply)');
    expect(text).toContain('files  --[ file.copying ]->  web (progress reply)');
    expect(text).toMatch(/manual\.txt \[█+\] 100%/);
  });

  it('runs as separate processes and exits 0, as the README command does', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const result = spawnSync(
      process.execPath,
      ['--conditions=@exorelay/source', '--import', 'tsx', 'examples/demo/src/main.ts', '--pace', '0'],
      { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(result.stdout).toContain('6 of 6 steps went as expected.');
    expect(result.stdout).toContain('users  --[ users.created ]->  web (reply)');
    expect(result.status).toBe(0);
  }, 90_000);
});
