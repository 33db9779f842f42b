import { describe, expect, it } from 'vitest';
import { renderBarChart } from '../harness/charts.js';

describe('renderBarChart', () => {
  const chart = {
    title: 'ExoRelay <against> the floors & more',
    subtitle: '1× = the floor',
    bars: [
      { label: 'request/reply, 1 caller', ratio: 0.9 },
      { label: 'request/reply, 16 callers', ratio: 0.5 },
      { label: 'stream', ratio: undefined },
    ],
    marks: [
      { at: 0.8, label: 'target 0.8×' },
      { at: 1, label: '1×' },
    ],
  };
  const svg = renderBarChart(chart);

  it('draws one bar per measured ratio and says which were not measured', () => {
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('0.90×');
    expect(svg).toContain('0.50×');
    expect(svg).toContain('not measured');
  });

  it('colours bars by the lowest mark: above it green, below it orange', () => {
    expect(svg).toMatch(/fill="#2f855a"\/><text[^>]*>0\.90×/);
    expect(svg).toMatch(/fill="#c05621"\/><text[^>]*>0\.50×/);
  });

  it('escapes text and is a standalone SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('ExoRelay &lt;against&gt; the floors &amp; more');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
