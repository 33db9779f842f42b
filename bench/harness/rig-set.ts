import { type BenchContext, describe } from './measure.js';
import type { Rig } from './rig.js';

export type RigStarters<T extends AsyncDisposable = Rig> = ReadonlyArray<
  readonly [system: string, start: () => Promise<T>]
>;

/**
 * Starts the rigs of one group of cases (all at once), runs `body` with those that started, and disposes
 * them all however `body` ends. A rig that fails to start is recorded as a failure; the others
 * still run, so one broken system does not hide the rest.
 */
export async function withRigs<T extends AsyncDisposable>(
  context: BenchContext,
  where: { scenario: string; transport: string },
  starters: RigStarters<T>,
  body: (rigs: ReadonlyMap<string, T>) => Promise<void>,
): Promise<void> {
  if (context.transports !== undefined && !context.transports.includes(where.transport)) return;
  const rigs = new Map<string, T>();
  try {
    // In parallel: most rigs are processes to fork, and a loaded machine starts them slowly.
    const started = await Promise.allSettled(starters.map(([, start]) => start()));
    for (const [index, [system]] of starters.entries()) {
      const outcome = started[index];
      if (outcome?.status === 'fulfilled') {
        rigs.set(system, outcome.value);
        continue;
      }
      const error: unknown = outcome?.reason;
      context.report.fail({
        scenario: where.scenario,
        case: `${where.transport} · starting ${system}`,
        error: describe(error),
      });
      context.log(`  ✗ ${where.scenario} · ${where.transport}: ${system} did not start: ${describe(error)}`);
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
