import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startInProcess } from '@exorelay/example-demo';
import { seedDemoFiles } from '@exorelay/example-files';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-setup/chromium.js';

describe('the demo page in a real browser', () => {
  it('copies manual.txt through the bridge and shows the live progress and the result', async () => {
    const files = await seedDemoFiles();
    await using _files = { [Symbol.asyncDispose]: () => rm(files.root, { recursive: true, force: true }) };
    const serviceErrors: string[] = [];
    await using landscape = await startInProcess({
      filesRoot: files.root,
      log: (line) => {
        if (line.startsWith('error:')) serviceErrors.push(line);
      },
      colors: false,
      progressPace: 0,
    });
    await using browser = await launchChromium();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`http://127.0.0.1:${landscape.webPort}/`);
    await page.getByText('Ready.').waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    const status = page.locator('#status[data-outcome]');
    await status.waitFor();

    const bytes = Buffer.byteLength(files.content);
    expect(await status.getAttribute('data-outcome')).toBe('copied');
    expect(await status.textContent()).toBe(`Copied manual.txt to manual-copy.txt: ${bytes} bytes`);
    const log = await page.locator('#log li').allTextContents();
    const progress = log.filter((line) => line.startsWith('file.copying '));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(`file.copying {"copiedBytes":${bytes},"totalBytes":${bytes}}`);
    expect(log.at(-1)).toMatch(/^file\.copied /);
    expect(await page.locator('#progress').evaluate((bar: { value: number; max: number }) => bar.value / bar.max)).toBe(
      1,
    );
    expect(await readFile(join(files.root, 'manual-copy.txt'), 'utf8')).toBe(files.content);
    expect(pageErrors).toEqual([]);
    expect(serviceErrors).toEqual([]);
  }, 60_000);
});
