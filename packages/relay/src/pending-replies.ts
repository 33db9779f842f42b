import type { Reply } from './message-types.js';
import { ReplyStreamController, type ReplyStreamOptions, type StreamLimits } from './reply-stream.js';

/**
 * The one map from a sent message's `requestId` to the stream that waits for its replies.
 * An entry leaves the map when its stream settles (final reply, break, timeout, abort,
 * failure, close) — and also when nobody claimed the stream in the tick it was made: a
 * fire-and-forget send keeps no state once the current tick is over.
 */
export class PendingReplies {
  readonly #streams = new Map<string, ReplyStreamController>();
  #unclaimed: ReplyStreamController[] = [];
  #sweepScheduled = false;
  readonly #limits: StreamLimits;

  constructor(maxBufferedReplies: number) {
    this.#limits = { maxBufferedReplies, onSettled: (stream) => this.#streams.delete(stream.requestId) };
  }

  /** How many streams wait for replies now. */
  get size(): number {
    return this.#streams.size;
  }

  open(messageName: string, requestId: string, options: ReplyStreamOptions): ReplyStreamController {
    const controller = new ReplyStreamController(messageName, requestId, this.#limits, options);
    this.#streams.set(requestId, controller);
    this.#unclaimed.push(controller);
    this.#scheduleSweep();
    return controller;
  }

  /** Routes a reply to the stream of the message it answers; `false` when nobody waits for it. */
  route(reply: Reply, seq: number | undefined): boolean {
    const controller = this.#streams.get(reply.responseTo);
    if (controller === undefined) return false;
    controller.push(reply, seq);
    return true;
  }

  get(requestId: string): ReplyStreamController | undefined {
    return this.#streams.get(requestId);
  }

  failAll(error: Error): void {
    for (const controller of [...this.#streams.values()]) controller.fail(error);
  }

  // One immediate per tick checks every stream made in it, instead of a timer per message.
  #scheduleSweep(): void {
    if (this.#sweepScheduled) return;
    this.#sweepScheduled = true;
    setImmediate(() => {
      this.#sweepScheduled = false;
      const made = this.#unclaimed;
      this.#unclaimed = [];
      for (const controller of made) {
        if (!controller.isClaimed) controller.detach();
      }
    });
  }
}
