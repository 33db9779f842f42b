/**
 * Restores the order in which a replier sent its replies. HTTP carries replies over a pool of
 * connections and the bus forwards them concurrently, so reply 2 may arrive before reply 0;
 * every reply carries `seq` (0, 1, 2 …) and this holds early ones back until the gap fills.
 */
export class ReplySequencer<T> {
  #next = 0;
  /** Made once a reply arrives early: most streams never need it. */
  #held: Map<number, T> | undefined;

  /** Replies that arrived early and wait for an earlier one. */
  get heldCount(): number {
    return this.#held?.size ?? 0;
  }

  /**
   * Whether the reply numbered `seq` is next, with none held back (the usual case), or carries
   * no `seq`: then it is taken as it is, with no array to say so. Otherwise ask `accept`.
   */
  takesInOrder(seq: number | undefined): boolean {
    if (seq === undefined) return true;
    if (seq !== this.#next || this.heldCount > 0) return false;
    this.#next += 1;
    return true;
  }

  /**
   * Takes the reply numbered `seq` and returns the replies that are now in order (possibly
   * none). A reply without `seq` comes from a peer that does not number replies: it is
   * passed through as it arrives. A `seq` seen before is a duplicate and yields nothing.
   */
  accept(seq: number | undefined, item: T): T[] {
    if (seq === undefined || this.takesInOrder(seq)) return [item];
    this.#held ??= new Map();
    const held = this.#held;
    if (seq < this.#next || held.has(seq)) return [];
    held.set(seq, item);
    const ready: T[] = [];
    for (let next = held.get(this.#next); next !== undefined; next = held.get(this.#next)) {
      held.delete(this.#next);
      this.#next += 1;
      ready.push(next);
    }
    return ready;
  }
}
