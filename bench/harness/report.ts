/** What one figure measures and which way is better. */
export interface Metric {
  name: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Kept in the results and used to explain a verdict, but not a row of the table. */
  detail?: boolean;
}

/** One measured number: the median of its rounds, and its ratio to the baseline of its case. */
export interface Figure {
  scenario: string;
  transport: string;
  case: string;
  system: string;
  metric: string;
  unit: string;
  better: 'higher' | 'lower';
  value: number;
  /** Every measured round (the value is their median). */
  samples: number[];
  /** The system this figure's case is measured against; the figure's own system for the baseline row. */
  baseline: string | undefined;
  /** value ÷ the baseline's value (higher is better for throughput, lower for latency and memory). */
  ratio: number | undefined;
  /** From a `detail` metric: not a row of the table. */
  detail?: boolean;
}

/** What two systems spent per message in one case, in all and per part (bus, services …). */
export interface CostComparison {
  subject: number;
  reference: number;
  unit: string;
  parts: readonly { part: string; subject: number; reference: number }[];
}

/** The lowest and highest of a figure's rounds. */
export interface RoundRange {
  low: number;
  high: number;
}

/** A target of the issue, judged on this run's figures. */
export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
  /**
   * The lowest and highest value of the rounds behind `measured`: for a ratio of two systems
   * measured in the same rounds, each round's own ratio. How far a verdict is from flipping on
   * this machine's noise.
   */
  rounds?: RoundRange;
  /** Why this run cannot judge the target (it still shows what it measured). */
  notJudged?: string;
}

export interface Failure {
  scenario: string;
  case: string;
  error: string;
}

/** Collects a run's figures, verdicts and failures, and prints them. */
export class Report {
  readonly figures: Figure[] = [];
  readonly verdicts: Verdict[] = [];
  readonly failures: Failure[] = [];

  add(figure: Figure): void {
    this.figures.push(figure);
  }

  /** The figure of `system` in a case, if it was measured. */
  find(query: Pick<Figure, 'scenario' | 'transport' | 'case' | 'system' | 'metric'>): Figure | undefined {
    return this.figures.find(
      (figure) =>
        figure.scenario === query.scenario &&
        figure.transport === query.transport &&
        figure.case === query.case &&
        figure.system === query.system &&
        figure.metric === query.metric,
    );
  }

  /**
   * Judges "subject is at least `least` × reference" (`better: 'higher'`) or at most that
   * (`'lower'`), on the ratio of their medians. A figure that is missing makes a failed verdict:
   * a target is never passed by default. A failed verdict shows `cost`, when given: what each
   * system spent per message, in all and per process, which is what stops it.
   */
  judgeRatio(
    target: string,
    subject: Figure | undefined,
    reference: Figure | undefined,
    least: number,
    cost?: CostComparison,
  ): void {
    if (subject === undefined || reference === undefined || reference.value === 0) {
      this.verdicts.push({ target, measured: 'not measured', pass: false });
      return;
    }
    const ratio = subject.value / reference.value;
    const pass = subject.better === 'higher' ? ratio >= least : ratio <= least;
    const rounds = sameCase(subject, reference) ? rangeOf(roundRatios(subject, reference)) : undefined;
    const explained = pass || cost === undefined ? '' : `; ${describeCost(cost)}`;
    const measured = `${describeVerdictRatio(ratio, least, pass)}×${describeRange(rounds, (value) => value.toFixed(2), '×')}${explained}`;
    this.verdicts.push({ target, measured, pass, ...(rounds === undefined ? {} : { rounds }) });
  }

  /** Judges an absolute figure against a bound. */
  judgeValue(target: string, figure: Figure | undefined, bound: number): void {
    if (figure === undefined) {
      this.verdicts.push({ target, measured: 'not measured', pass: false });
      return;
    }
    const pass = figure.better === 'higher' ? figure.value >= bound : figure.value <= bound;
    const rounds = rangeOf(figure.samples);
    const measured = `${formatNumber(figure.value)} ${figure.unit}${describeRange(rounds, formatNumber, ` ${figure.unit}`)}`;
    this.verdicts.push({ target, measured, pass, ...(rounds === undefined ? {} : { rounds }) });
  }

  /** A target this run measures but cannot judge fairly, with the reason (not a PASS, not a FAIL). */
  notJudged(target: string, measured: string, reason: string): void {
    this.verdicts.push({ target, measured, pass: false, notJudged: reason });
  }

  fail(failure: Failure): void {
    this.failures.push(failure);
  }

  /** The table of every figure, grouped by scenario and transport, as Markdown. */
  renderTable(titles: ReadonlyMap<string, string>): string {
    const lines: string[] = [];
    const groups = new Map<string, Figure[]>();
    for (const figure of this.figures) {
      if (figure.detail === true) continue;
      const key = `${figure.scenario}\u0000${figure.transport}`;
      groups.set(key, [...(groups.get(key) ?? []), figure]);
    }
    for (const [key, figures] of groups) {
      const [scenario = '', transport = ''] = key.split('\u0000');
      lines.push(`### ${titles.get(scenario) ?? scenario} — ${transport}`, '');
      lines.push('| case | metric | system | value | vs baseline |', '| --- | --- | --- | ---: | --- |');
      for (const figure of figures) {
        const value = `${formatNumber(figure.value)} ${figure.unit}${figure.better === 'higher' ? ' ↑' : ' ↓'}`;
        lines.push(`| ${figure.case} | ${figure.metric} | ${figure.system} | ${value} | ${describeRatio(figure)} |`);
      }
      lines.push('');
    }
    return lines.join('\n');
  }

  renderVerdicts(): string {
    const lines = ['### Targets', ''];
    for (const verdict of this.verdicts) {
      if (verdict.notJudged !== undefined) {
        lines.push(`- **N/A** ${verdict.target}: ${verdict.measured} (${verdict.notJudged})`);
        continue;
      }
      lines.push(`- **${verdict.pass ? 'PASS' : 'FAIL'}** ${verdict.target}: ${verdict.measured}`);
    }
    for (const failure of this.failures) {
      lines.push(`- **ERROR** ${failure.scenario} · ${failure.case}: ${failure.error}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Both figures come from the same rounds: round i of one ran beside round i of the other. */
function sameCase(one: Figure, other: Figure): boolean {
  return one.scenario === other.scenario && one.transport === other.transport && one.case === other.case;
}

/** Each round's `subject ÷ reference`: paired by round, so a noisy minute moves both sides of a ratio. */
export function roundRatios(subject: Figure, reference: Figure): number[] {
  if (subject.samples.length !== reference.samples.length) return [];
  return subject.samples.map((value, round) => value / (reference.samples[round] as number));
}

/** The lowest and highest of two or more finite values. */
function rangeOf(values: readonly number[]): RoundRange | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return undefined;
  return { low: Math.min(...finite), high: Math.max(...finite) };
}

function describeRange(range: RoundRange | undefined, format: (value: number) => string, unit: string): string {
  return range === undefined ? '' : ` (rounds ${format(range.low)}–${format(range.high)}${unit})`;
}

/** Two decimals, or three where two would round a failed ratio onto its line (0.7955 is not 0.80). */
function describeVerdictRatio(ratio: number, least: number, pass: boolean): string {
  const rounded = ratio.toFixed(2);
  return !pass && Number(rounded) === least ? ratio.toFixed(3) : rounded;
}

/** `CPU per message 1.54× (429 against 279 µs: bus 198 against 132, …)` */
function describeCost(cost: CostComparison): string {
  const parts = cost.parts.map(
    (part) => `${part.part} ${formatNumber(part.subject)} against ${formatNumber(part.reference)}`,
  );
  const each = parts.length === 0 ? '' : `: ${parts.join(', ')}`;
  const ratio = (cost.subject / cost.reference).toFixed(2);
  return `CPU per message ${ratio}× (${formatNumber(cost.subject)} against ${formatNumber(cost.reference)} ${cost.unit}${each})`;
}

function describeRatio(figure: Figure): string {
  if (figure.ratio === undefined || figure.baseline === undefined) return '';
  if (figure.baseline === figure.system) return 'baseline';
  return `${figure.ratio.toFixed(2)}× ${figure.baseline}`;
}

/** 12,345 · 123.4 · 1.23 · 0.0123: enough digits to compare, no more. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || value === 0) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** A figure with no baseline in its case (an absolute memory reading, an overhead, a micro-benchmark). */
export function standaloneFigure(
  where: Pick<Figure, 'scenario' | 'transport' | 'case' | 'system'>,
  metric: Metric,
  value: number,
  samples: number[] = [value],
): Figure {
  return {
    ...where,
    metric: metric.name,
    unit: metric.unit,
    better: metric.better,
    value,
    samples,
    baseline: undefined,
    ratio: undefined,
  };
}

/** The figure of `system` for `metric` among a case's figures. */
export function pick(figures: readonly Figure[], system: string, metric: Metric): Figure | undefined {
  return figures.find((figure) => figure.system === system && figure.metric === metric.name);
}
