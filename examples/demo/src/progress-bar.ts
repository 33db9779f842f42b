import type { Terminal } from './terminal.js';

const width = 30;

/**
 * A terminal progress bar. On a TTY it is the terminal's live line, redrawn in place; elsewhere
 * (CI logs, tests) it prints a line at each quarter, so the output stays readable.
 */
export class ProgressBar {
  #lastQuarter = -1;
  #percent = 0;

  constructor(
    private readonly terminal: Terminal,
    private readonly label: string,
  ) {}

  update(percent: number): void {
    this.#percent = Math.max(0, Math.min(100, Math.round(percent)));
    if (this.terminal.isTTY) {
      this.terminal.status(this.#render());
      return;
    }
    const quarter = Math.floor(this.#percent / 25);
    if (quarter === this.#lastQuarter) return;
    this.#lastQuarter = quarter;
    this.terminal.line(this.#render());
  }

  /** Leaves the bar's last state as an ordinary line. */
  finish(): void {
    if (!this.terminal.isTTY) return;
    this.terminal.status(undefined);
    this.terminal.line(this.#render());
  }

  #render(): string {
    const filled = Math.round((this.#percent / 100) * width);
    return `    ${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(this.#percent).padStart(3)}%`;
  }
}
