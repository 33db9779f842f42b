import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureProgram, writeFixture } from '../type-check/measure.js';

// Instantiations are deterministic, unlike check time on a shared machine. At 100 messages and
// 60 call sites the contract types cost 175 345 instantiations against the schemas' own 60 562
// (2.9×; docs/performance.md). The bounds leave room for a dependency update, not for a
// regression like the 3.1× of the earlier declaration types.
const maxInstantiations = 200_000;
const maxRatio = 3.2;

describe('the type-check cost of contracts', () => {
  // Inside bench/, so that zod and the ExoRelay packages resolve as they do for users.
  const directory = mkdtempSync(join(import.meta.dirname, '../type-check/generated-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('stays within its bound of instantiations beside the same schemas without contracts', () => {
    writeFixture(directory, { messages: 100, callSites: 60 });
    const plain = measureProgram(join(directory, 'plain'));
    const contracts = measureProgram(join(directory, 'contracts'));

    expect(contracts.instantiations).toBeLessThanOrEqual(maxInstantiations);
    expect(contracts.instantiations / plain.instantiations).toBeLessThanOrEqual(maxRatio);
  }, 180_000);
});
