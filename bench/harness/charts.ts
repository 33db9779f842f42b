/**
 * The bench's SVG bar charts for docs/performance.md: ExoRelay's standing as ratios (to the
 * floor, to Moleculer, to one instance), drawn from the run's figures with a line at each
 * target. Plain SVG text, no chart library: horizontal bars, one per case.
 */
import type { Figure } from './report.js';
import { systems } from './systems.js';

export interface Bar {
  label: string;
  /** The ratio the bar shows; undefined draws "not measured". */
  ratio: number | undefined;
}

export interface BarChart {
  title: string;
  /** What a ratio of 1 means, under the title. */
  subtitle: string;
  bars: readonly Bar[];
  /** Vertical lines, e.g. the target (0.8×) and parity (1×). */
  marks: readonly { at: number; label: string }[];
}

const width = 760;
const labelWidth = 300;
const rowHeight = 24;
const top = 56;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderBarChart(chart: BarChart): string {
  const plotWidth = width - labelWidth - 70;
  const largest = Math.max(1.2, ...chart.marks.map((mark) => mark.at), ...chart.bars.map((bar) => bar.ratio ?? 0));
  const x = (ratio: number) => labelWidth + (Math.min(ratio, largest) / largest) * plotWidth;
  const height = top + chart.bars.length * rowHeight + 24;
  const rows = chart.bars.map((bar, index) => {
    const y = top + index * rowHeight;
    const label = `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeXml(bar.label)}</text>`;
    if (bar.ratio === undefined)
      return `${label}<text x="${labelWidth + 4}" y="${y + 16}" fill="#888">not measured</text>`;
    const passes = bar.ratio >= Math.min(...chart.marks.map((mark) => mark.at));
    const fill = passes ? '#2f855a' : '#c05621';
    return `${label}<rect x="${labelWidth}" y="${y + 4}" width="${(x(bar.ratio) - labelWidth).toFixed(1)}" height="${rowHeight - 8}" fill="${fill}"/><text x="${(x(bar.ratio) + 4).toFixed(1)}" y="${y + 16}">${bar.ratio.toFixed(2)}×</text>`;
  });
  // The first mark's label sits left of its line, the others right of theirs, so close marks stay legible.
  const marks = chart.marks.map((mark, index) => {
    const at = x(mark.at).toFixed(1);
    const label = index === 0 ? `x="${x(mark.at) - 3}" text-anchor="end"` : `x="${x(mark.at) + 3}"`;
    return `<line x1="${at}" y1="${top - 4}" x2="${at}" y2="${height - 20}" stroke="#333" stroke-dasharray="4 3"/><text ${label} y="${height - 6}" fill="#333">${escapeXml(mark.label)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<text x="12" y="40" fill="#555">${escapeXml(chart.subtitle)}</text>`,
    ...rows,
    ...marks,
    '</svg>',
    '',
  ].join('\n');
}

type Find = (query: Pick<Figure, 'scenario' | 'transport' | 'case' | 'system' | 'metric'>) => Figure | undefined;

/** The ratio of two figures of one case (same metric), if both were measured. */
function ratioOf(
  find: Find,
  where: Pick<Figure, 'scenario' | 'transport' | 'case' | 'metric'>,
  of: string,
  to: string,
) {
  const subject = find({ ...where, system: of });
  const reference = find({ ...where, system: to });
  if (subject === undefined || reference === undefined || reference.value === 0) return undefined;
  return subject.value / reference.value;
}

/** The charts docs/performance.md shows, by file name. */
export function benchCharts(find: Find, chunks: string): Map<string, BarChart> {
  const charts = new Map<string, BarChart>();
  const throughput = 'throughput';
  const callers = ['1 caller', '16 callers', '256 callers'];
  const senders = ['1 sender', '64 senders'];
  const toFloor: Bar[] = [
    ...callers.map((each) => ({
      label: `NATS request/reply, ${each}`,
      ratio: ratioOf(
        find,
        { scenario: 'request-reply', transport: 'nats', case: each, metric: throughput },
        systems.exoRelayNats,
        systems.natsCorrelated,
      ),
    })),
    ...senders.map((each) => ({
      label: `NATS fire-and-forget, ${each}`,
      ratio: ratioOf(
        find,
        { scenario: 'fire-and-forget', transport: 'nats', case: each, metric: throughput },
        systems.exoRelayNats,
        systems.natsPublish,
      ),
    })),
    ...['', ', every progress awaited'].map((awaited) => ({
      label: `NATS stream${awaited === '' ? '' : ', awaited'}`,
      ratio: ratioOf(
        find,
        { scenario: 'reply-stream', transport: 'nats', case: `${chunks} × 1 KiB${awaited}`, metric: 'chunk rate' },
        systems.exoRelayNats,
        systems.natsCorrelated,
      ),
    })),
    ...callers.map((each) => ({
      label: `ExoCom request/reply, ${each}`,
      ratio: ratioOf(
        find,
        { scenario: 'request-reply', transport: 'http', case: each, metric: throughput },
        systems.exoRelayExoCom,
        systems.minimalBus4,
      ),
    })),
    ...callers.map((each) => ({
      label: `ExoCom + SSE request/reply, ${each}`,
      ratio: ratioOf(
        find,
        { scenario: 'request-reply', transport: 'http', case: each, metric: throughput },
        systems.exoRelayExoComSse,
        systems.minimalBus4,
      ),
    })),
    ...senders.map((each) => ({
      label: `ExoCom fire-and-forget, ${each}`,
      ratio: ratioOf(
        find,
        { scenario: 'fire-and-forget', transport: 'http', case: each, metric: throughput },
        systems.exoRelayExoCom,
        systems.minimalBus2,
      ),
    })),
    ...['', ', every progress awaited'].map((awaited) => ({
      label: `ExoCom stream${awaited === '' ? '' : ', awaited'}`,
      ratio: ratioOf(
        find,
        { scenario: 'reply-stream', transport: 'http', case: `${chunks} × 1 KiB${awaited}`, metric: 'chunk rate' },
        systems.exoRelayExoCom,
        systems.minimalBus4,
      ),
    })),
  ];
  charts.set('vs-floor.svg', {
    title: 'ExoRelay against the floors (throughput ratio, higher is better)',
    subtitle: '1× = the hand-rolled floor of the same transport, measured in the same run',
    bars: toFloor,
    marks: [
      { at: 0.8, label: 'target 0.8×' },
      { at: 1, label: '1×' },
    ],
  });
  charts.set('vs-moleculer.svg', {
    title: 'ExoRelay · NATS against Moleculer · NATS (throughput ratio)',
    subtitle: '1× = Moleculer; above 1 ExoRelay is ahead',
    bars: [
      ...callers.map((each) => ({
        label: `request/reply, ${each}`,
        ratio: ratioOf(
          find,
          { scenario: 'request-reply', transport: 'nats', case: each, metric: throughput },
          systems.exoRelayNats,
          systems.moleculer,
        ),
      })),
      ...senders.map((each) => ({
        label: `fire-and-forget, ${each}`,
        ratio: ratioOf(
          find,
          { scenario: 'fire-and-forget', transport: 'nats', case: each, metric: throughput },
          systems.exoRelayNats,
          systems.moleculer,
        ),
      })),
    ],
    marks: [{ at: 1, label: 'Moleculer' }],
  });
  const instances = ['1 instance', '2 instances', '4 instances'];
  const scalingBars = (transport: string, system: string, label: string): Bar[] =>
    instances.map((each) => {
      const where = { scenario: 'scaling', transport, metric: throughput, system };
      const one = find({ ...where, case: 'request/reply, 1 instance' });
      const now = find({ ...where, case: `request/reply, ${each}` });
      return { label: `${label}, ${each}`, ratio: one && now && one.value !== 0 ? now.value / one.value : undefined };
    });
  charts.set('scaling.svg', {
    title: 'Request/reply throughput with more service instances (ratio to 1 instance)',
    subtitle: 'each instance in a process of its own unless "one process"; 64 callers',
    bars: [
      ...scalingBars('nats', systems.exoRelayNats, 'NATS'),
      ...scalingBars('nats', systems.exoRelayNatsOneProcess, 'NATS, one process'),
      ...scalingBars('nats', systems.natsCorrelated, 'raw nats'),
      ...scalingBars('http', systems.exoRelayExoCom, 'ExoCom'),
    ],
    marks: [
      { at: 1, label: '1×' },
      { at: 1.5, label: 'target 1.5×' },
    ],
  });
  return charts;
}
