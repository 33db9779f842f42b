import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder with the demo's file: `manual.txt`, a few hundred KiB of numbered lines. */
export async function seedDemoFiles(): Promise<{ root: string; file: string; content: string }> {
  const root = await mkdtemp(join(tmpdir(), 'exorelay-demo-'));
  const lines = Array.from({ length: 8000 }, (_, index) => `line ${index + 1}: ExoRelay streams this file in chunks`);
  const content = `${lines.join('\n')}\n`;
  await writeFile(join(root, 'manual.txt'), content);
  return { root, file: 'manual.txt', content };
}
