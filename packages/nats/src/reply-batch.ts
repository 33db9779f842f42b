import type { NamedEnvelope } from '@exorelay/protocol';
import type { SendReceipt } from 'exorelay';

interface Waiting {
  message: NamedEnvelope;
  resolve: (receipt: SendReceipt) => void;
  reject: (error: unknown) => void;
}

/** How a batch's replies go out. */
export interface ReplyPublisher {
  /**
   * Publishes a reply at once: its receipt once written to the connection, `undefined` when not
   * connected. Throws what publishing threw. Synchronous, so a batch makes no promise per reply.
   */
  publishNow(message: NamedEnvelope): SendReceipt | undefined;
  /** Sends a reply once the connection is back. */
  sendWhenConnected(message: NamedEnvelope): Promise<SendReceipt>;
}

/**
 * Progress replies, gathered until the event loop turns and then published together. nats.js
 * writes what was published within one microtask as one socket write; a handler that awaits
 * each chunk publishes one per microtask, so every chunk cost a write (a syscall) of its own.
 * A final reply joins a batch under way, so a stream's replies keep their order on the wire.
 */
export class ReplyBatch {
  readonly #publisher: ReplyPublisher;
  #waiting: Waiting[] = [];

  constructor(publisher: ReplyPublisher) {
    this.#publisher = publisher;
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
    for (const { message, resolve, reject } of waiting) {
      try {
        const receipt = this.#publisher.publishNow(message);
        if (receipt === undefined) this.#publisher.sendWhenConnected(message).then(resolve, reject);
        else resolve(receipt);
      } catch (error) {
        reject(error);
      }
    }
  }
}
