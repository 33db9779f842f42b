import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type FixtureSize, generateFixture } from './fixture.js';

/** What `tsc --extendedDiagnostics` says about one program. */
export interface CheckCost {
  checkSeconds: number;
  totalSeconds: number;
  instantiations: number;
  types: number;
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * Writes the fixture under `directory` (inside `bench/`, so `zod`, `exorelay` and
 * `@exorelay/contracts` resolve from the bench's dependencies, built as users get them).
 */
export function writeFixture(directory: string, size: FixtureSize): void {
  rmSync(directory, { recursive: true, force: true });
  for (const [file, text] of Object.entries(generateFixture(size))) {
    const path = join(directory, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/** Type-checks one program of the fixture with `tsc --extendedDiagnostics` and reads its numbers. */
export function measureProgram(projectDirectory: string): CheckCost {
  const output = execFileSync(process.execPath, [tsc, '-p', projectDirectory, '--extendedDiagnostics'], {
    encoding: 'utf8',
  });
  const read = (label: string): number => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(output);
    if (match?.[1] === undefined) throw new Error(`tsc printed no "${label}":\n${output}`);
    return Number(match[1]);
  };
  return {
    checkSeconds: read('Check time'),
    totalSeconds: read('Total time'),
    instantiations: read('Instantiations'),
    types: read('Types'),
  };
}
