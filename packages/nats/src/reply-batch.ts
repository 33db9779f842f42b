import type { NamedEnvelope } from '@exorelay/protocol';
import type { SendReceipt } from 'exorelay';

interface Waiting {
  message: NamedEnvelope;
  resolve: (receipt: SendReceipt) => void;
  reject: (error: unknown) => void;
}

/**
 * Progress replies, gathered until the event loop turns and then published together. nats.js
 * writes what was published within one microtask as one socket write; a handler that awaits
 * each chunk publishes one per microtask, so every chunk cost a write (a syscall) of its own.
 * A final reply joins a batch under way, so a stream's replies keep their order on the wire.
 */
export class ReplyBatch {
  readonly #publish: (message: NamedEnvelope) => Promise<SendReceipt>;
  #waiting: Waiting[] = [];

  constructor(publish: (message: NamedEnvelope) => Promise<SendReceipt>) {
    this.#publish = publish;
  }

  /** Whether `message`, a reply, waits for the batch rather than going out now. */
  takes(message: NamedEnvelope): boolean {
    return message.envelope.more === true || this.#waiting.length > 0;
  }

  /** Resolves once the reply went out with its batch, at the end of this turn of the event loop. */
  add(message: NamedEnvelope): Promise<SendReceipt> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ message, resolve, reject });
      if (this.#waiting.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const { message, resolve, reject } of waiting) this.#publish(message).then(resolve, reject);
  }
}
