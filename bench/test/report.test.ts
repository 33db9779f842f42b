import { describe, expect, it } from 'vitest';
import { type Figure, Report, standaloneFigure } from '../harness/report.js';
import { median } from '../harness/statistics.js';
import { compareCost, cpuMetrics, cpuPerMessage, cpuPerMessageOf, cpuSample } from '../harness/trials.js';

const throughput = { name: 'throughput', unit: 'msg/s', better: 'higher' } as const;

function figure(system: string, samples: number[], where = '16 callers'): Figure {
  return standaloneFigure(
    { scenario: 'request-reply', transport: 'nats', case: where, system },
    throughput,
    median(samples),
    samples,
  );
}

describe('Report.judgeRatio', () => {
  it('judges the ratio of the medians and shows the range of the rounds’ own ratios', () => {
    const report = new Report();
    report.judgeRatio('subject ≥ 0.8× floor', figure('subject', [70, 90, 80]), figure('floor', [100, 100, 100]), 0.8);
    expect(report.verdicts).toEqual([
      {
        target: 'subject ≥ 0.8× floor',
        measured: '0.80× (rounds 0.70–0.90×)',
        pass: true,
        rounds: { low: 0.7, high: 0.9 },
      },
    ]);
  });

  it('pairs rounds, so that a slow round of both systems does not widen the range', () => {
    const report = new Report();
    report.judgeRatio('subject ≥ 0.8× floor', figure('subject', [45, 90]), figure('floor', [50, 100]), 0.8);
    expect(report.verdicts[0]?.measured).toBe('0.90× (rounds 0.90–0.90×)');
  });

  it('shows no range for figures of different cases, whose rounds did not run side by side', () => {
    const report = new Report();
    const four = figure('four', [150, 155, 160], '4 instances');
    report.judgeRatio('four ≥ 1.5× one', four, figure('one', [100, 100, 100], '1 instance'), 1.5);
    expect(report.verdicts[0]).toEqual({ target: 'four ≥ 1.5× one', measured: '1.55×', pass: true });
  });

  it('shows beside a failed target what each system spent per message, in all and per process', () => {
    const report = new Report();
    const cost = {
      subject: 429,
      reference: 279,
      unit: 'µs',
      parts: [
        { part: 'bus', subject: 198, reference: 132 },
        { part: 'client', subject: 101.4, reference: 80.2 },
      ],
    };
    report.judgeRatio('subject ≥ 0.8× floor', figure('subject', [62]), figure('floor', [100]), 0.8, cost);
    report.judgeRatio('subject ≥ 0.5× floor', figure('subject', [62]), figure('floor', [100]), 0.5, cost);
    expect(report.verdicts.map((verdict) => verdict.measured)).toEqual([
      '0.62×; CPU per message 1.54× (429 against 279 µs: bus 198 against 132, client 101 against 80.2)',
      '0.62×',
    ]);
  });

  it('shows a third decimal where two would round a failed ratio onto its line', () => {
    const report = new Report();
    report.judgeRatio('subject ≥ 0.8× floor', figure('subject', [79.55]), figure('floor', [100]), 0.8);
    report.judgeRatio('subject ≥ 0.8× floor', figure('subject', [80.4]), figure('floor', [100]), 0.8);
    expect(report.verdicts.map((verdict) => [verdict.measured, verdict.pass])).toEqual([
      ['0.795×', false],
      ['0.80×', true],
    ]);
  });

  it('fails a target whose figure is missing', () => {
    const report = new Report();
    report.judgeRatio('subject ≥ 0.8× floor', undefined, figure('floor', [100]), 0.8);
    expect(report.verdicts[0]).toEqual({ target: 'subject ≥ 0.8× floor', measured: 'not measured', pass: false });
  });
});

describe('Report.judgeValue', () => {
  it('shows the range of the figure’s rounds beside its median', () => {
    const report = new Report();
    const overhead = { name: 'overhead', unit: '%', better: 'lower' } as const;
    const where = { scenario: 'validation', transport: 'nats', case: '256 callers', system: 'overhead' };
    report.judgeValue('overhead ≤ 10%', standaloneFigure(where, overhead, 12.5, [4.9, 12.5, 15.3]), 10);
    expect(report.verdicts[0]).toEqual({
      target: 'overhead ≤ 10%',
      measured: '12.5 % (rounds 4.90–15.3 %)',
      pass: false,
      rounds: { low: 4.9, high: 15.3 },
    });
  });
});

describe('CPU per message by process', () => {
  it('splits a round’s CPU time per part and sums the parts a system has', () => {
    const sample = cpuSample({ bus: 1_000, client: 500 }, { bus: 3_000, services: 1_000, client: 1_500 }, 10);
    expect(sample).toEqual({
      [cpuPerMessage.name]: 400,
      [cpuPerMessageOf('bus').name]: 200,
      [cpuPerMessageOf('services').name]: 100,
      [cpuPerMessageOf('client').name]: 100,
    });
  });

  it('compares two systems on the parts both have, and keeps the parts out of the table', () => {
    const report = new Report();
    const where = (system: string) => ({ scenario: 'request-reply', transport: 'nats', case: '16 callers', system });
    const [total, bus, services] = [cpuMetrics[0]!, cpuPerMessageOf('bus'), cpuPerMessageOf('services')];
    const figures = [
      standaloneFigure(where('subject'), total, 30),
      { ...standaloneFigure(where('subject'), bus, 10), detail: true },
      { ...standaloneFigure(where('subject'), services, 20), detail: true },
      standaloneFigure(where('floor'), total, 15),
      { ...standaloneFigure(where('floor'), services, 15), detail: true },
    ];
    for (const each of figures) report.add(each);
    expect(compareCost(figures, 'subject', 'floor')).toEqual({
      subject: 30,
      reference: 15,
      unit: 'µs',
      parts: [{ part: 'services', subject: 20, reference: 15 }],
    });
    expect(compareCost(figures, 'subject', 'nobody')).toBeUndefined();
    const table = report.renderTable(new Map());
    expect(table).toContain('| 16 callers | CPU per message | subject | 30.0 µs ↓ |');
    expect(table).not.toContain('CPU per message, ');
  });
});
