import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inKilobytes, measureBundle } from './support/measure-bundle.js';

describe('the browser bundle', () => {
  it('bundles for the browser platform from its own sources, eventsource-parser and the protocol only', async () => {
    const { inputs } = await measureBundle();

    const packages = new Set(inputs.map((input) => /(packages\/[^/]+|eventsource-parser)\//.exec(input)?.[1]));
    expect([...packages].sort()).toEqual(['eventsource-parser', 'packages/browser', 'packages/protocol']);
  });

  it('stays small, and the README states its minified+gzipped size', async () => {
    const { gzipped } = await measureBundle();
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const stated = /\*\*(\d+\.\d) kB\*\* minified \+ gzipped/.exec(readme)?.[1];

    expect(gzipped).toBeLessThan(8000);
    expect(stated, `the README should say **${inKilobytes(gzipped)}** minified + gzipped`).toBeDefined();
    // Within 5 %: small edits need no README change, a real growth does.
    expect(Math.abs(Number(stated) * 1000 - gzipped) / gzipped).toBeLessThan(0.05);
  });
});
