import { access } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

// Debian's chromium, found (or installed) by the test set-up; playwright-core never downloads a browser.
const chromiumPath = process.env.EXORELAY_CHROMIUM ?? '/usr/bin/chromium';

/** A headless Chromium, closed on dispose. Fails loudly when the browser is not installed. */
export async function launchChromium(): Promise<Browser & AsyncDisposable> {
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
