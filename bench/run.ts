/**
 * `pnpm bench` runs every scenario of docs/performance.md in one go: progress on stderr, the
 * table (value, and ratio to its case's baseline) and the PASS/FAIL targets on stdout, every
 * figure in results/latest.json, the charts in docs/perf/*.svg. `--quick` runs small counts (CI:
 * proves every scenario still produces numbers) and writes results/quick.json and results/charts/ instead. `--only id,id` runs some scenarios.
 * Exits non-zero when a scenario failed or produced no numbers — never because of a target.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCharts, renderBarChart } from './harness/charts.js';
import { type BenchContext, describe, type Scenario } from './harness/measure.js';
import { startNatsServer } from './harness/nats-server.js';
import { Report } from './harness/report.js';
import { fullSettings, quickSettings } from './harness/settings.js';
import { fireAndForget } from './scenarios/fire-and-forget.js';
import { memorySoak } from './scenarios/memory-soak.js';
import { replyStream } from './scenarios/reply-stream.js';
import { requestReply } from './scenarios/request-reply.js';
import { scaling } from './scenarios/scaling.js';
import { validationOverhead } from './scenarios/validation-overhead.js';

const scenarios: readonly Scenario[] = [
  fireAndForget,
  requestReply,
  replyStream,
  validationOverhead,
  scaling,
  memorySoak,
];

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, transport: { type: 'string' } },
  // pnpm may put a `--` before forwarded arguments; anything after it is read the same way.
  allowPositionals: true,
});
const positionals = process.argv.slice(2).filter((argument) => argument !== '--');
const quick = values.quick === true || positionals.includes('--quick');
const settings = quick ? quickSettings : fullSettings;
const only = values.only?.split(',').map((id) => id.trim());
const transports = values.transport?.split(',').map((transport) => transport.trim());
const unknown = only?.filter((id) => !scenarios.some((scenario) => scenario.id === id)) ?? [];
if (unknown.length > 0) {
  throw new Error(
    `unknown scenario ${unknown.join(', ')}; there are ${scenarios.map((scenario) => scenario.id).join(', ')}`,
  );
}
const selected = scenarios.filter((scenario) => only === undefined || only.includes(scenario.id));

const log = (line: string) => process.stderr.write(`${line}\n`);
const report = new Report();
const started = performance.now();
const nats = await startNatsServer();
try {
  const context: BenchContext = { settings, natsUrl: nats.url, natsCpuTime: nats.cpuTime, report, transports, log };
  log(`ExoRelay benchmarks (${settings.mode}): ${selected.length} scenarios, nats-server at ${nats.url}`);
  for (const [index, scenario] of selected.entries()) {
    log(`[${index + 1}/${selected.length}] ${scenario.title}`);
    const figuresBefore = report.figures.length;
    try {
      await scenario.run(context);
    } catch (error) {
      report.fail({ scenario: scenario.id, case: 'the whole scenario', error: describe(error) });
      log(`  ✗ ${scenario.id}: ${describe(error)}`);
    }
    if (report.figures.length === figuresBefore) {
      report.fail({ scenario: scenario.id, case: 'the whole scenario', error: 'it produced no figures' });
    }
  }
} finally {
  await nats[Symbol.asyncDispose]();
}
for (const figure of report.figures.filter((each) => !Number.isFinite(each.value))) {
  report.fail({
    scenario: figure.scenario,
    case: `${figure.transport} · ${figure.case} · ${figure.system}`,
    error: `${figure.metric} is ${figure.value}`,
  });
}

const titles = new Map(scenarios.map((scenario) => [scenario.id, scenario.title]));
process.stdout.write(`\n${report.renderTable(titles)}\n${report.renderVerdicts()}`);

const durationSeconds = (performance.now() - started) / 1000;
const results = {
  date: new Date().toISOString(),
  mode: settings.mode,
  durationSeconds: Math.round(durationSeconds),
  node: process.version,
  commit: currentCommit(),
  machine: {
    platform: platform(),
    release: release(),
    arch: arch(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  },
  natsServer: nats.version,
  settings,
  figures: report.figures,
  targets: report.verdicts,
  failures: report.failures,
};
// run.ts runs compiled from dist/, one level below the package's results/ folder.
const file = new URL(`../results/${quick ? 'quick' : 'latest'}.json`, import.meta.url);
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
// The full run's charts are the ones docs/performance.md shows; a quick run's stay in results/.
const chartFolder = new URL(quick ? '../results/charts/' : '../../docs/perf/', import.meta.url);
await mkdir(chartFolder, { recursive: true });
for (const [name, chart] of benchCharts((query) => report.find(query), settings.chunks.toLocaleString('en-US'))) {
  await writeFile(new URL(name, chartFolder), renderBarChart(chart));
}
log(`\n${report.figures.length} figures in ${durationSeconds.toFixed(0)} s → ${file.pathname}`);
if (report.failures.length > 0) {
  log(`${report.failures.length} failure(s): see the ERROR lines above`);
  process.exitCode = 1;
}

/** The commit the products were built from, so a figure can be traced to the code it measured. */
function currentCommit(): string {
  try {
    // Paths relative to the bench package, wherever the run was started from.
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '../packages', '.'], {
      cwd,
      encoding: 'utf8',
    }).trim();
    return dirty === '' ? commit : `${commit} + uncommitted changes`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
