import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The demo page: its HTML, and its script bundled with `@exorelay/browser`. */
export interface PageAssets {
  html: string;
  script: string;
}

/**
 * Reads the page and bundles its script for the browser, in memory. Runs at server start, so
 * the page always uses the client's current source (the `@exorelay/source` condition).
 */
export async function buildPageAssets(): Promise<PageAssets> {
  const [html, bundle] = await Promise.all([
    readFile(new URL('./page/index.html', import.meta.url), 'utf8'),
    build({
      entryPoints: [fileURLToPath(new URL('./page/page.js', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@exorelay/source'],
      minify: true,
      write: false,
      logLevel: 'silent',
    }),
  ]);
  return { html, script: bundle.outputFiles[0]!.text };
}
