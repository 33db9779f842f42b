import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { canColor } from '../src/cli/colors.js';

const terminal = (answer: boolean) => Object.assign(new PassThrough(), { isTTY: true, hasColors: () => answer });

describe('whether the CLI colours its flow log', () => {
  it('asks a terminal, which reads NO_COLOR, FORCE_COLOR and TERM itself', () => {
    expect(canColor(terminal(true), {})).toBe(true);
    expect(canColor(terminal(false), { FORCE_COLOR: '1' })).toBe(false);
  });

  it('colours a pipe or file only when FORCE_COLOR asks', () => {
    const pipe = new PassThrough();
    expect(canColor(pipe, {})).toBe(false);
    expect(canColor(pipe, { NO_COLOR: '1' })).toBe(false);
    expect(canColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(canColor(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(canColor(pipe, { FORCE_COLOR: '0' })).toBe(false);
  });
});
