import type { Writable } from 'node:stream';

const clearLine = '\r\x1b[2K';

/**
 * The demo's output: lines, plus on a TTY one live status line (the progress bar) that stays
 * at the bottom while the flow log scrolls above it.
 */
export class Terminal {
  #status: string | undefined;

  constructor(readonly output: Writable & { isTTY?: boolean }) {}

  get isTTY(): boolean {
    return this.output.isTTY === true;
  }

  line(text: string): void {
    if (this.#status === undefined) {
      this.output.write(`${text}\n`);
      return;
    }
    this.output.write(`${clearLine}${text}\n${this.#status}`);
  }

  /** Shows (or, with `undefined`, removes) the live line; only on a TTY. */
  status(text: string | undefined): void {
    if (!this.isTTY) return;
    this.output.write(`${clearLine}${text ?? ''}`);
    this.#status = text;
  }
}
