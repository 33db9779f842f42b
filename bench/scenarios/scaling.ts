/**
 * Scenario 5 — scaling: request/reply throughput with 1, 2 and 4 instances of the receiving
 * service, and fire-and-forget fan-out to 1, 4 and 16 receiving services.
 *
 * How: scenario 2's loop at 64 callers against `instances` relays of the echo service (ExoCom
 * balances round robin, NATS by queue group); scenario 1's loop at 64 senders with `receivers`
 * services each getting every event, a round ending when all deliveries arrived. Fan-out rounds
 * keep the deliveries per round constant. Every instance, service, the bus and the client run
 * in processes of their own, as deployed: more instances can use more cores. Over NATS,
 * ExoRelay also runs in one process (client and every instance in one event loop) as an extra
 * row: there more instances cannot add throughput.
 * Baselines: the same topology on the minimal bus (4 hops for requests, round robin over a fixed
 * list; 2 hops for events, sent to every listener) and on the raw nats client.
 * What it cannot tell: scaling beyond this machine's cores (the core count is in the target
 * line): with 2 cores, a client, nats-server and 4 instances compete for them.
 */
import { availableParallelism } from 'node:os';
import { type BenchContext, measureCase, type Scenario, type Trial } from '../harness/measure.js';
import { processEventTrial, processRequestTrial, processStarters } from '../harness/processes.js';
import { type Figure, pick } from '../harness/report.js';
import type { Rig } from '../harness/rig.js';
import { withRigs } from '../harness/rig-set.js';
import { roundCount } from '../harness/settings.js';
import { systems } from '../harness/systems.js';
import { deliveryRate, requestTrial, throughput } from '../harness/trials.js';
import { startExoRelayOverNats } from '../rigs/exorelay-nats.js';

const id = 'scaling';
const concurrency = 64;
const instanceCounts = [1, 2, 4];
/** A client, nats-server and 4 instances each want a core to show what 4 instances buy. */
const coresToJudge = 6;

const subjectOf = { http: systems.exoRelayExoCom, nats: systems.exoRelayNats } as const;

function names(transport: 'http' | 'nats', hops: 2 | 4): string[] {
  if (transport === 'http') return [systems.exoRelayExoCom, hops === 2 ? systems.minimalBus2 : systems.minimalBus4];
  return [systems.exoRelayNats, hops === 2 ? systems.natsPublish : systems.natsCorrelated];
}

async function run(context: BenchContext): Promise<void> {
  const { settings } = context;
  for (const transport of ['http', 'nats'] as const) {
    const byInstances = new Map<number, Figure | undefined>();
    for (const instances of instanceCounts) {
      const topology = { instances, receivers: 1 };
      const starters = processStarters(context, names(transport, 4), topology);
      await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
        const total = roundCount(settings, 'requests', transport);
        const trials: Trial[] = [...rigs].map(([system, rig]) =>
          processRequestTrial(system, rig, { settings, total, concurrency }),
        );
        await withOneProcessRow(context, transport, instances, async (oneProcess) => {
          if (oneProcess !== undefined) {
            trials.push(requestTrial(systems.exoRelayNatsOneProcess, oneProcess, { settings, total, concurrency }));
          }
          const figures = await measureCase(context, {
            scenario: id,
            transport,
            case: `request/reply, ${instances} instance${instances === 1 ? '' : 's'}`,
            baseline: transport === 'http' ? systems.minimalBus4 : systems.natsCorrelated,
            metrics: [throughput],
            trials,
          });
          byInstances.set(instances, pick(figures, subjectOf[transport], throughput));
        });
      });
    }
    if (transport === 'nats') judgeScaling(context, byInstances);
    for (const receivers of settings.fanOut) {
      const topology = { instances: 1, receivers };
      const starters = processStarters(context, names(transport, 2), topology);
      await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
        await measureCase(context, {
          scenario: id,
          transport,
          case: `fan-out to ${receivers} service${receivers === 1 ? '' : 's'}`,
          baseline: transport === 'http' ? systems.minimalBus2 : systems.natsPublish,
          metrics: [deliveryRate, throughput],
          trials: [...rigs].map(([system, rig]) =>
            processEventTrial(system, rig, {
              settings,
              total: Math.max(1, Math.round(roundCount(settings, 'events', transport) / receivers)),
              concurrency,
              receivers,
            }),
          ),
        });
      });
    }
  }
}

/** Over NATS, ExoRelay with client and every instance in this one process, for contrast. */
async function withOneProcessRow(
  context: BenchContext,
  transport: 'http' | 'nats',
  instances: number,
  body: (rig: Rig | undefined) => Promise<void>,
): Promise<void> {
  if (transport !== 'nats') return body(undefined);
  await withRigs(
    context,
    { scenario: id, transport },
    [[systems.exoRelayNatsOneProcess, () => startExoRelayOverNats(context.natsUrl, { instances, receivers: 1 })]],
    (rigs) => body(rigs.get(systems.exoRelayNatsOneProcess)),
  );
}

/** The scaling target, over NATS; judged only where the machine has the cores. */
function judgeScaling(context: BenchContext, byInstances: ReadonlyMap<number, Figure | undefined>): void {
  const cores = availableParallelism();
  const target = `${systems.exoRelayNats} scaling, 4 service instances ≥ 1.5× the throughput of 1 (processes, ${cores} cores)`;
  const one = byInstances.get(1);
  const four = byInstances.get(4);
  if (cores >= coresToJudge || one === undefined || four === undefined) {
    context.report.judgeRatio(target, four, one, 1.5);
    return;
  }
  context.report.notJudged(
    target,
    `${(four.value / one.value).toFixed(2)}×`,
    `needs ≥ ${coresToJudge} cores: client, nats-server and 4 instances; this machine has ${cores}`,
  );
}

export const scaling: Scenario = { id, title: '5. Scaling', run };
