import type { Writable } from 'node:stream';

const width = 30;

/**
 * A terminal progress bar. On a TTY it redraws one line; elsewhere (CI logs, tests) it prints
 * a line at each quarter, so the output stays readable.
 */
export class ProgressBar {
  #lastQuarter = -1;

  constructor(
    private readonly output: Writable & { isTTY?: boolean },
    private readonly label: string,
  ) {}

  update(percent: number): void {
    const clamped = Math.max(0, Math.min(100, Math.round(percent)));
    if (this.output.isTTY === true) {
      this.output.write(`\r${this.#render(clamped)}`);
      return;
    }
    const quarter = Math.floor(clamped / 25);
    if (quarter === this.#lastQuarter) return;
    this.#lastQuarter = quarter;
    this.output.write(`${this.#render(clamped)}\n`);
  }

  finish(): void {
    if (this.output.isTTY === true) this.output.write('\n');
  }

  #render(percent: number): string {
    const filled = Math.round((percent / 100) * width);
    return `    ${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(percent).padStart(3)}%`;
  }
}
