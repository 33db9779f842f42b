import { type BenchContext, describe } from './measure.js';
import type { Rig } from './rig.js';

export type RigStarters = ReadonlyArray<readonly [system: string, start: () => Promise<Rig>]>;

/**
 * Starts the rigs of one group of cases, runs `body` with those that started, and disposes
 * them all however `body` ends. A rig that fails to start is recorded as a failure; the others
 * still run, so one broken system does not hide the rest.
 */
export async function withRigs(
  context: BenchContext,
  where: { scenario: string; transport: string },
  starters: RigStarters,
  body: (rigs: ReadonlyMap<string, Rig>) => Promise<void>,
): Promise<void> {
  if (context.transports !== undefined && !context.transports.includes(where.transport)) return;
  const rigs = new Map<string, Rig>();
  try {
    for (const [system, start] of starters) {
      try {
        rigs.set(system, await start());
      } catch (error) {
        context.report.fail({
          scenario: where.scenario,
          case: `${where.transport} · starting ${system}`,
          error: describe(error),
        });
        context.log(`  ✗ ${where.scenario} · ${where.transport}: ${system} did not start: ${describe(error)}`);
      }
    }
    await body(rigs);
  } finally {
    for (const [system, rig] of rigs) {
      try {
        await rig[Symbol.asyncDispose]();
      } catch (error) {
        context.report.fail({
          scenario: where.scenario,
          case: `${where.transport} · closing ${system}`,
          error: describe(error),
        });
      }
    }
  }
}
