/**
 * Prints where each role process's CPU time went in a `perf record -a -g` of a bench run, kernel
 * included (`harness/perf-places.ts`). Run the bench with `BENCH_PERF=dir` (role processes write
 * perf maps, and the run prints their pids and each case's measured window), then:
 * `perf script --time FROM,TO -F pid,ip,sym,dso -i perf.data | node dist/harness/perf-profile.js --pids A,B`.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { samplesPerPlace } from './perf-places.js';

const { values } = parseArgs({ options: { pids: { type: 'string' }, top: { type: 'string', default: '25' } } });
if (values.pids === undefined) {
  process.stderr.write('usage: perf script -F pid,ip,sym,dso | perf-profile.js --pids A,B [--top N]\n');
  process.exit(2);
}
const pids = values.pids.split(',');
const counts = await samplesPerPlace(createInterface({ input: process.stdin }), pids);
const ofPid = (pid: string) => counts.get(pid) ?? new Map<string, number>();
const total = (pid: string) => [...ofPid(pid).values()].reduce((sum, each) => sum + each, 0);
const first = ofPid(pids[0] ?? '');
const places = [...new Set(pids.flatMap((pid) => [...ofPid(pid).keys()]))]
  .sort((a, b) => (first.get(b) ?? 0) - (first.get(a) ?? 0))
  .slice(0, Number(values.top));
const row = (cells: readonly (string | number)[], place: string) =>
  `${cells.map((cell) => String(cell).padStart(7)).join(' ')}  ${place}\n`;
process.stdout.write(`samples per place, pids ${pids.join(' | ')}\n`);
process.stdout.write(row(pids.map(total), 'total'));
for (const place of places)
  process.stdout.write(
    row(
      pids.map((pid) => ofPid(pid).get(place) ?? 0),
      place,
    ),
  );
