import { access, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startInProcess } from '@exorelay/example-demo';
import { seedDemoFiles } from '@exorelay/example-files';
import { type Browser, chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

// Debian's chromium, found (or installed) by the test set-up; playwright-core never downloads a browser.
const chromiumPath = process.env.EXORELAY_CHROMIUM ?? '/usr/bin/chromium';

/** A headless Chromium, closed on dispose. Fails loudly when the browser is not installed. */
async function launchChromium(): Promise<Browser & AsyncDisposable> {
  try {
    await access(chromiumPath);
  } catch {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: install it with 'apt-get install chromium' (\`pnpm test\` does as root)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

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
