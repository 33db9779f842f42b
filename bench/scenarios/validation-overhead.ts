/**
 * Scenario 4 — contracts validation on vs off, on scenario 2's request/reply.
 *
 * How: the same relays carry the bench's contracts (`@exorelay/contracts`, Zod 4 schemas of the
 * ~100 B order), once with `validate: true` and once with `validate: false`; both run in the
 * same rounds. A request is then validated four times: the client's outgoing payload, the
 * service's incoming payload, its outgoing reply and the client's incoming reply. Overhead =
 * 1 − throughput(on) ÷ throughput(off) in each round, in percent; the figure is the median of
 * the rounds' overheads. A tinybench micro-benchmark adds the cost
 * of one payload validation beside one JSON round trip of the same envelope, for scale.
 * What it cannot tell: the cost of bigger or deeper schemas (it grows with the payload), or of
 * other validators (Valibot, ArkType) than Zod.
 */
import { Bench } from 'tinybench';
import { benchContracts } from '../fixtures/contracts.js';
import { orderEvents } from '../fixtures/payloads.js';
import { type BenchContext, measureCase, type Scenario } from '../harness/measure.js';
import { type Figure, formatNumber, type Metric, pick, roundRatios, standaloneFigure } from '../harness/report.js';
import { singleService } from '../harness/rig.js';
import { withRigs } from '../harness/rig-set.js';
import { roundCount } from '../harness/settings.js';
import { median } from '../harness/statistics.js';
import { requestTrial, throughput } from '../harness/trials.js';
import { startExoRelayOverExoCom } from '../rigs/exorelay-exocom.js';
import { startExoRelayOverNats } from '../rigs/exorelay-nats.js';
import type { Validation } from '../rigs/exorelay-rig.js';

const id = 'validation-overhead';
const concurrencies = [1, 16, 256];
const validated = 'validation on';
const unvalidated = 'validation off';
const overhead: Metric = { name: 'overhead', unit: '%', better: 'lower' };
const perCall: Metric = { name: 'mean time', unit: 'µs', better: 'lower' };

async function run(context: BenchContext): Promise<void> {
  const { settings, report } = context;
  const transports = [
    { transport: 'http', start: (validation: Validation) => startExoRelayOverExoCom(singleService, { validation }) },
    {
      transport: 'nats',
      start: (validation: Validation) => startExoRelayOverNats(context.natsUrl, singleService, { validation }),
    },
  ] as const;
  // Two rigs in one event loop, in short rounds: the median needs more of them than elsewhere.
  const manyRounds = { ...context, settings: { ...settings, rounds: settings.validationRounds } };
  for (const { transport, start } of transports) {
    const starters = [
      [validated, () => start('validated')],
      [unvalidated, () => start('not validated')],
    ] as const;
    await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
      for (const concurrency of concurrencies) {
        const caseName = `${concurrency} caller${concurrency === 1 ? '' : 's'}`;
        const figures = await measureCase(manyRounds, {
          scenario: id,
          transport,
          case: caseName,
          baseline: unvalidated,
          metrics: [throughput],
          trials: [...rigs].map(([system, rig]) =>
            requestTrial(system, rig, {
              settings,
              total: roundCount(settings, concurrency === 1 ? 'sequentialRequests' : 'requests', transport),
              concurrency,
            }),
          ),
        });
        const on = pick(figures, validated, throughput);
        const off = pick(figures, unvalidated, throughput);
        const cost = on === undefined || off === undefined ? undefined : overheadFigure(transport, caseName, on, off);
        if (cost !== undefined) report.add(cost);
        report.judgeValue(`validation overhead over ${transport}, ${caseName}, ≤ 10%`, cost, 10);
      }
    });
  }
  await measureValidationCost(context);
}

/**
 * The median of each round's overhead: on and off run back to back in every round, so a round's
 * pair shares its minute of the machine; a GC pause or a neighbour that hits one round moves
 * that round's pair, not the figure (a ratio of the two medians mixes rounds).
 */
function overheadFigure(transport: string, caseName: string, on: Figure, off: Figure): Figure {
  const samples = roundRatios(on, off).map((ratio) => (1 - ratio) * 100);
  const where = { scenario: id, transport, case: caseName, system: 'overhead of validation' };
  return standaloneFigure(where, overhead, median(samples), samples);
}

/** One payload validation against one JSON encode + decode of its envelope, with tinybench. */
async function measureValidationCost(context: BenchContext): Promise<void> {
  const payloads = orderEvents(64);
  let next = 0;
  const payload = () => payloads[next++ % payloads.length];
  const bench = new Bench({ time: context.settings.mode === 'quick' ? 100 : 1000 });
  bench.add('validate one payload (Zod via contracts)', () => {
    const result = benchContracts.validatePayload('bench.echo', payload());
    // Zod validates these schemas synchronously; a promise here would time only its creation.
    if (result instanceof Promise || result?.ok !== true) throw new Error('the payload did not validate synchronously');
  });
  bench.add('JSON round trip of its envelope', () => {
    JSON.parse(
      JSON.stringify({ sender: 'bench-client', requestId: 'f3a1c2d4-0000-4000-8000-000000000000', payload: payload() }),
    );
  });
  await bench.run();
  const figures: Figure[] = [];
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') {
      context.report.fail({ scenario: id, case: `in-process · ${task.name}`, error: `tinybench: ${result.state}` });
      continue;
    }
    const where = { scenario: id, transport: 'in-process', case: 'one call', system: task.name };
    figures.push(standaloneFigure(where, perCall, result.latency.mean * 1000));
  }
  for (const figure of figures) context.report.add(figure);
  context.log(
    `  ✓ ${id} · in-process: ${figures.map((figure) => `${figure.system} ${formatNumber(figure.value)} µs`).join(' · ')}`,
  );
}

export const validationOverhead: Scenario = { id, title: '4. Contracts validation', run };
