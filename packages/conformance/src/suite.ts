import { describe, it } from 'vitest';
import type { ConformanceFixture, ConformanceOptions } from './fixture.js';

export type Case = (fixture: ConformanceFixture) => Promise<void>;

/** A group of behaviours: test name → test. */
export type CaseGroup = Record<string, Case>;

/** Registers the groups for one transport; a skipped test must be named with its reason. */
export function registerCases(options: ConformanceOptions, groups: Record<string, CaseGroup>): void {
  const skipped = new Map<string, string>();
  for (const skip of options.skip ?? []) for (const test of skip.tests) skipped.set(test, skip.reason);
  const unknown = [...skipped.keys()].filter((test) => {
    const [group, name] = test.split(' > ');
    return group === undefined || name === undefined || groups[group]?.[name] === undefined;
  });
  if (unknown.length > 0) throw new Error(`conformance skip names unknown tests: ${unknown.join(', ')}`);

  describe(`relay conformance over ${options.name}`, () => {
    for (const [group, cases] of Object.entries(groups)) {
      describe(group, () => {
        for (const [name, test] of Object.entries(cases)) {
          const reason = skipped.get(`${group} > ${name}`);
          const title = reason === undefined ? name : `${name} (skipped: ${reason})`;
          (reason === undefined ? it : it.skip)(title, async () => {
            await using fixture = await options.setup();
            await test(fixture);
          });
        }
      });
    }
  });
}
