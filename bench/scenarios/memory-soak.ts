/**
 * Scenario 6 — memory: RSS and heap after GC, before and after `soak.events` fire-and-forget
 * messages (1 000 000) and then `soak.requests` (100 000) requests; the heap must come back
 * (state is released).
 *
 * How: per transport, a child process with --expose-gc (memory-soak-child.ts) starts ExoRelay
 * (client, echo service and, over HTTP, the embedded ExoCom bus: all in that process), warms up
 * with 2 000 of each and reads `process.memoryUsage()` after GC ("warm"). It then fills the
 * bounded memories that take each message at most once (ExoCom's last 100 000 sends, each
 * relay's last 50 000 deliveries: `soak.fill`) and reads again ("before"): they are as full as
 * they ever get, and what filling them took is reported as a figure of its own. Then it sends
 * the events at 64 senders, then the requests at 64 callers, and reads again after GC. It also
 * reads the per-message state left behind (open reply streams, running handlers, the bus's reply
 * routes). Growth is after − before: what more messages add once every bound is reached. No
 * baseline: the target is absolute (< 10 MiB of heap).
 * What it cannot tell: a leak slower than ~10 bytes a message, and RSS is the allocator's
 * business: it moves with fragmentation and is reported, not judged.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext, Scenario } from '../harness/measure.js';
import type { MemoryReading } from '../harness/memory.js';
import { type Figure, formatNumber, standaloneFigure } from '../harness/report.js';
import type { Soak } from '../harness/settings.js';
import { systems } from '../harness/systems.js';

const id = 'memory-soak';
const mebibytes = 'MiB';

interface SoakResult {
  warm: MemoryReading;
  before: MemoryReading;
  afterEvents: MemoryReading;
  after: MemoryReading;
  eventsPerSecond: number;
  requestsPerSecond: number;
  retained: Record<string, number>;
}

async function run(context: BenchContext): Promise<void> {
  for (const [transport, system] of [
    ['http', systems.exoRelayExoCom],
    ['nats', systems.exoRelayNats],
  ] as const) {
    const { fill, events, requests } = context.settings.soak[transport];
    const soak = `${events.toLocaleString('en-US')} events + ${requests.toLocaleString('en-US')} requests`;
    const started = performance.now();
    let result: SoakResult;
    try {
      result = await runChild({
        transport,
        natsUrl: context.natsUrl,
        fill,
        events,
        requests,
        timeoutMs: context.settings.soakTimeoutMs,
      });
    } catch (error) {
      context.report.fail({ scenario: id, case: `${transport} · ${soak}`, error: (error as Error).message });
      context.log(`  ✗ ${id} · ${transport}: ${(error as Error).message}`);
      context.report.judgeValue(`${system} heap growth after ${soak} < 10 MiB`, undefined, 10);
      continue;
    }
    const figure = (caseName: string, metric: string, value: number, unit = mebibytes): Figure =>
      standaloneFigure(
        { scenario: id, transport, case: caseName, system },
        { name: metric, unit, better: 'lower' },
        value,
      );
    const growth = figure(soak, 'heap growth', result.after.heapUsedMiB - result.before.heapUsedMiB);
    const filled = `filling the bounded memories: ${fill.events.toLocaleString('en-US')} events + ${fill.requests.toLocaleString('en-US')} requests`;
    const figures = [
      figure('warm, after GC', 'heap', result.warm.heapUsedMiB),
      figure(filled, 'heap growth', result.before.heapUsedMiB - result.warm.heapUsedMiB),
      figure('before, after GC', 'heap', result.before.heapUsedMiB),
      figure('before, after GC', 'RSS', result.before.rssMiB),
      figure(`after the events, after GC`, 'heap', result.afterEvents.heapUsedMiB),
      figure(`after the events and requests, after GC`, 'heap', result.after.heapUsedMiB),
      figure(`after the events and requests, after GC`, 'RSS', result.after.rssMiB),
      growth,
      figure(soak, 'RSS growth', result.after.rssMiB - result.before.rssMiB),
      ...Object.entries(result.retained).map(([name, count]) => figure('left after the soak', name, count, 'entries')),
    ];
    for (const each of figures) context.report.add(each);
    context.report.judgeValue(`${system} heap growth after ${soak} < 10 MiB`, growth, 10);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    context.log(
      `  ✓ ${id} · ${transport}: heap ${formatNumber(result.before.heapUsedMiB)} → ${formatNumber(result.after.heapUsedMiB)} MiB, ` +
        `${formatNumber(result.eventsPerSecond)} events/s, ${formatNumber(result.requestsPerSecond)} requests/s  [${seconds} s]`,
    );
  }
}

function runChild(options: {
  transport: string;
  natsUrl: string;
  fill: Soak['fill'];
  events: number;
  requests: number;
  timeoutMs: number;
}): Promise<SoakResult> {
  // The bench runs compiled (dist/), so its sibling is a .js file.
  const script = fileURLToPath(new URL('./memory-soak-child.js', import.meta.url));
  const args = ['--expose-gc', script];
  args.push('--transport', options.transport, '--nats-url', options.natsUrl);
  args.push('--fill-events', String(options.fill.events), '--fill-requests', String(options.fill.requests));
  args.push('--events', String(options.events), '--requests', String(options.requests));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') {
        reject(new Error(`the soak child took longer than ${options.timeoutMs} ms and was killed`));
        return;
      }
      if (code !== 0) {
        reject(new Error(`the soak child exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as SoakResult);
      } catch {
        reject(new Error(`the soak child printed no result: ${stdout}${stderr}`));
      }
    });
  });
}

export const memorySoak: Scenario = { id, title: '6. Memory after a soak', run };
