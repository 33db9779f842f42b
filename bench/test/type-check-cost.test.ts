import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureProgram, writeFixture } from '../type-check/measure.js';

// Instantiations are deterministic, unlike check time on a shared machine. At 100 messages and
// 60 call sites the contract types cost 94 568 instantiations against the schemas' own 60 562
// (1.56×; docs/performance.md). The bounds leave room for a dependency update, not for a
// regression like the 2.9× before the types stopped working out every message at once.
const maxInstantiations = 100_000;
const maxRatio = 1.7;

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
