/**
 * Where a process's CPU time went, from `perf script -F pid,ip,sym,dso` output: each sample
 * goes to one place, kernel included, where a V8 CPU profile sees JavaScript only and charges a
 * system call's time to the binding that made it.
 */

interface Frame {
  symbol: string;
  dso: string;
}

const framePattern = /^\s*[0-9a-f]+ (.*) \((.*)\)\s*$/;
/** A sample's first line: its pid alone, which perf pads with spaces to a width. */
const samplePattern = /^\s*(\d+)\s*$/;
const gcPattern = /Scaveng|GarbageCollect|Marking|Sweep|Heap::|Evacuat|MinorGC/;
/** Our package's path, a `node:` module or wasm as such; a dependency by its name alone (group 1). */
const placePattern =
  /packages\/[a-z-]+|node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)|node:[a-z_/]+|wasm/;

/**
 * The kernel, V8's garbage collector or JSON code, or else the nearest JavaScript frame on the
 * stack (leaf first), named by package or `node:` module: `js` when the sample is in that
 * frame's own code, `native` when in a builtin or binding it called.
 */
export function placeOf(stack: readonly Frame[]): string {
  const [leaf] = stack;
  if (leaf === undefined) return 'unknown';
  if (leaf.dso.startsWith('[kernel')) return 'kernel';
  if (gcPattern.test(leaf.symbol)) return 'garbage collector';
  if (leaf.symbol.includes('Json')) return 'JSON (V8)';
  if (leaf.symbol.startsWith('llhttp')) return 'llhttp';
  const js = stack.find((frame) => frame.symbol.startsWith('JS:') || frame.symbol.startsWith('RegExp:'));
  if (js === undefined) return 'native, no JavaScript caller';
  const match = placePattern.exec(js.symbol);
  const place = match === null ? 'other JavaScript' : (match[1] ?? match[0]);
  return `${js === leaf ? 'js' : 'native'} ${place}`;
}

/** Samples per place for each of `pids`, from the lines of `perf script -F pid,ip,sym,dso`. */
export async function samplesPerPlace(
  lines: AsyncIterable<string> | Iterable<string>,
  pids: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const counts = new Map<string, Map<string, number>>(pids.map((pid) => [pid, new Map()]));
  let places: Map<string, number> | undefined;
  let stack: Frame[] = [];
  const count = () => {
    if (places === undefined || stack.length === 0) return;
    const place = placeOf(stack);
    places.set(place, (places.get(place) ?? 0) + 1);
  };
  for await (const line of lines) {
    // A sample's first line names its pid; its stack follows, one indented frame a line.
    const sample = samplePattern.exec(line);
    if (sample !== null) {
      count();
      places = counts.get(sample[1]!);
      stack = [];
      continue;
    }
    const frame = framePattern.exec(line);
    if (frame !== null) stack.push({ symbol: frame[1]!.replace(/\+0x[0-9a-f]+$/, ''), dso: frame[2]! });
  }
  count();
  return counts;
}
