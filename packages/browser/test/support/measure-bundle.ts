import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface BundleSize {
  /** Bytes of the minified bundle. */
  minified: number;
  /** Bytes of the minified bundle after gzip -9. */
  gzipped: number;
  /** The source files esbuild put into the bundle, relative to the repository. */
  inputs: string[];
}

/**
 * Bundles `@exorelay/browser` as a page would (esbuild, ESM, minified, browser platform) and
 * measures it. A Node built-in anywhere in the import graph fails the build on this platform.
 */
export async function measureBundle(): Promise<BundleSize> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))],
    absWorkingDir: fileURLToPath(new URL('../../../../', import.meta.url)),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@exorelay/source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return {
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs),
  };
}

/** A byte count in the README's unit: kB with one decimal (1 kB = 1000 bytes). */
export function inKilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
