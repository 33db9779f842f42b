/**
 * Restores the order in which a replier sent its replies. HTTP carries replies over a pool of
 * connections and the bus forwards them concurrently, so reply 2 may arrive before reply 0;
 * every reply carries `seq` (0, 1, 2 …) and this holds early ones back until the gap fills.
 */
export class ReplySequencer<T> {
  #next = 0;
  readonly #held = new Map<number, T>();

  /** Replies that arrived early and wait for an earlier one. */
  get heldCount(): number {
    return this.#held.size;
  }

  /**
   * Takes the reply numbered `seq` and returns the replies that are now in order (possibly
   * none). A reply without `seq` comes from a peer that does not number replies: it is
   * passed through as it arrives. A `seq` seen before is a duplicate and yields nothing.
   */
  accept(seq: number | undefined, item: T): T[] {
    if (seq === undefined) return [item];
    // The usual case: the next reply, with none held back.
    if (seq === this.#next && this.#held.size === 0) {
      this.#next += 1;
      return [item];
    }
    if (seq < this.#next || this.#held.has(seq)) return [];
    this.#held.set(seq, item);
    const ready: T[] = [];
    for (let next = this.#held.get(this.#next); next !== undefined; next = this.#held.get(this.#next)) {
      this.#held.delete(this.#next);
      this.#next += 1;
      ready.push(next);
    }
    return ready;
  }
}
