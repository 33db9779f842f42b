import { ReplyStreamController, type ReplyStreamOptions, type StreamLimits } from './reply-stream.js';

/**
 * The one map from a sent message's `requestId` to the stream that waits for its replies.
 * An entry leaves the map when its stream settles (final reply, break, timeout, abort,
 * failure, close) — and also when nobody claimed the stream in the tick it was made: a
 * fire-and-forget send keeps no state once the current tick is over.
 */
export class PendingReplies {
  /**
   * Each stream in a slot that its settling empties: a `Map` leaves stale hash tables behind
   * that keep what they held alive through minor GCs (see `LinkedSet`). An emptied slot holds
   * on to no stream; a requester over NATS promoted ≈ 0.7 KB per request before.
   */
  readonly #streams = new Map<string, StreamSlot>();
  #unclaimed: ReplyStreamController[] = [];
  #sweepScheduled = false;
  readonly #limits: StreamLimits;

  constructor(maxBufferedReplies: number) {
    this.#limits = { maxBufferedReplies, onSettled: (stream) => this.#forget(stream.requestId) };
  }

  /** How many streams wait for replies now. */
  get size(): number {
    return this.#streams.size;
  }

  /** Opens a stream that is detached at the end of this tick unless someone claims it by then. */
  open(messageName: string, requestId: string, options: ReplyStreamOptions): ReplyStreamController {
    const controller = this.#add(messageName, requestId, options);
    this.#unclaimed.push(controller);
    this.#scheduleSweep();
    return controller;
  }

  /**
   * Opens a stream someone reads from the start (`request()`, a callback, `keepReplies`): it
   * needs no check at the end of the tick, so a caller alone in its tick schedules none.
   */
  openClaimed(messageName: string, requestId: string, options: ReplyStreamOptions): ReplyStreamController {
    const controller = this.#add(messageName, requestId, options);
    controller.claim();
    return controller;
  }

  #add(messageName: string, requestId: string, options: ReplyStreamOptions): ReplyStreamController {
    const controller = new ReplyStreamController(messageName, requestId, this.#limits, options);
    this.#streams.set(requestId, new StreamSlot(controller));
    return controller;
  }

  #forget(requestId: string): void {
    const slot = this.#streams.get(requestId);
    if (slot === undefined) return;
    slot.controller = undefined;
    this.#streams.delete(requestId);
  }

  get(requestId: string): ReplyStreamController | undefined {
    return this.#streams.get(requestId)?.controller;
  }

  failAll(error: Error): void {
    for (const { controller } of [...this.#streams.values()]) controller?.fail(error);
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

/**
 * A stream's place in the map. A class, not an object literal: slots live as long as their
 * requests, so V8 allocated the literal's objects in the old generation (allocation-site
 * pretenuring), and a requester over HTTP at 256 callers promoted 3× as much and ran 5×
 * as many full GCs (see `NamedEnvelope`).
 */
class StreamSlot {
  constructor(public controller: ReplyStreamController | undefined) {}
}
