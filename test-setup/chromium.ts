import { access } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

// Debian's chromium, installed by .ci/run with apt-get; playwright-core never downloads a browser.
const chromiumPath = '/usr/bin/chromium';

/** A headless Chromium, closed on dispose. Fails loudly when the browser is not installed. */
export async function launchChromium(): Promise<Browser & AsyncDisposable> {
  try {
    await access(chromiumPath);
  } catch {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: install it with 'apt-get install chromium' (.ci/run does)`,
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
