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
    // What screen readers and image-less views show.
    `<title>${escapeXml(chart.title)}</title>`,
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

/** One bar per case: `subject` against `reference` in each of `cases` of one scenario and transport. */
interface BarRow {
  label: string;
  scenario: string;
  transport: string;
  metric: string;
  /** Case names as the scenario writes them, with the label each bar gets. */
  cases: readonly (readonly [caseName: string, label: string])[];
  subject: string;
  reference: string;
}

function barsOf(find: Find, row: BarRow): Bar[] {
  return row.cases.map(([caseName, label]) => {
    const where = { scenario: row.scenario, transport: row.transport, case: caseName, metric: row.metric };
    const subject = find({ ...where, system: row.subject });
    const reference = find({ ...where, system: row.reference });
    const measured = subject !== undefined && reference !== undefined && reference.value !== 0;
    return { label: `${row.label}, ${label}`, ratio: measured ? subject.value / reference.value : undefined };
  });
}

/** The charts docs/performance.md shows, by file name. */
export function benchCharts(find: Find, chunks: string): Map<string, BarChart> {
  const charts = new Map<string, BarChart>();
  const same = (names: readonly string[]) => names.map((name) => [name, name] as const);
  const callers = same(['1 caller', '16 callers', '256 callers']);
  const senders = same(['1 sender', '64 senders']);
  const streams = [
    [`${chunks} × 1 KiB`, '32 chunks in flight'],
    [`${chunks} × 1 KiB, every progress awaited`, 'every progress awaited'],
  ] as const;
  const rows = (transport: 'http' | 'nats', label: string, subject: string): BarRow[] => {
    const requestFloor = transport === 'nats' ? systems.natsCorrelated : systems.minimalBus4;
    const eventFloor = transport === 'nats' ? systems.natsPublish : systems.minimalBus2;
    const common = { transport, subject, metric: 'throughput' };
    return [
      {
        ...common,
        label: `${label} request/reply`,
        scenario: 'request-reply',
        cases: callers,
        reference: requestFloor,
      },
      {
        ...common,
        label: `${label} fire-and-forget`,
        scenario: 'fire-and-forget',
        cases: senders,
        reference: eventFloor,
      },
      {
        ...common,
        label: `${label} stream`,
        scenario: 'reply-stream',
        cases: streams,
        reference: requestFloor,
        metric: 'chunk rate',
      },
    ];
  };
  const toFloor: Bar[] = [
    ...rows('nats', 'NATS', systems.exoRelayNats),
    ...rows('http', 'ExoCom', systems.exoRelayExoCom),
    ...rows('http', 'ExoCom + SSE', systems.exoRelayExoComSse).slice(0, 1),
  ].flatMap((row) => barsOf(find, row));
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
    bars: rows('nats', 'NATS', systems.exoRelayNats)
      .slice(0, 2)
      .flatMap((row) => barsOf(find, { ...row, reference: systems.moleculer })),
    marks: [{ at: 1, label: 'Moleculer' }],
  });
  const instances = ['1 instance', '2 instances', '4 instances'];
  const scalingBars = (transport: string, system: string, label: string): Bar[] =>
    instances.map((each) => {
      const where = { scenario: 'scaling', transport, metric: 'throughput', system };
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
