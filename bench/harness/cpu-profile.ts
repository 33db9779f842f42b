/**
 * Sums a V8 CPU profile's self time per function and per file, so the profiles that
 * `BENCH_CPU_PROF=dir` makes the role processes write can be read without DevTools:
 * `node dist/harness/cpu-profile.js dir/CPU.*.cpuprofile [--top 30]`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time in ms per key that `keyOf` gives each node. */
function selfTimes(profile: Profile, keyOf: (node: ProfileNode) => string): Map<string, number> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id);
    if (node === undefined) return;
    const key = keyOf(node);
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return times;
}

const shortUrl = (url: string) =>
  url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '') || '(native)';

function print(title: string, times: Map<string, number>, top: number): void {
  const total = [...times.values()].reduce((sum, each) => sum + each, 0);
  process.stdout.write(`\n${title} (total ${total.toFixed(0)} ms)\n`);
  const sorted = [...times].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, ms] of sorted) {
    process.stdout.write(`${((100 * ms) / total).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms  ${key}\n`);
  }
}

// Piped into `head`, the rest of the table has nobody to read it.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' } },
  allowPositionals: true,
});
const top = Number(values.top);
for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  process.stdout.write(`\n=== ${file}\n`);
  print(
    'self time per function',
    selfTimes(
      profile,
      ({ callFrame }) =>
        `${callFrame.functionName || '(anonymous)'} ${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}`,
    ),
    top,
  );
  print(
    'self time per file',
    selfTimes(profile, ({ callFrame }) => shortUrl(callFrame.url)),
    top,
  );
}
