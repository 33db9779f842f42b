/** What `LinkedSet#add` returns: the handle that deletes the value again. */
export interface LinkedSetEntry {
  readonly linked: boolean;
}

interface Link<T> extends LinkedSetEntry {
  value: T | undefined;
  previous: Link<T> | undefined;
  next: Link<T> | undefined;
  linked: boolean;
}

/**
 * A set for values that come and go by the thousand per second (one per running handler), kept
 * in a doubly linked list rather than a `Map` or `Set`. V8 gives a `Map` a new hash table as
 * it fills and empties, and leaves the old one behind with every entry it held: once that
 * table sits in the old generation, each minor GC keeps its entries alive, and promotes them
 * with everything they reference (a responder over NATS promoted ≈ 0.8 KB per request). A link
 * forgets its value and its neighbours when it leaves, so nothing stale holds on to anything.
 */
export class LinkedSet<T> {
  #first: Link<T> | undefined;
  #last: Link<T> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(value: T): LinkedSetEntry {
    const link: Link<T> = { value, previous: this.#last, next: undefined, linked: true };
    if (this.#last === undefined) this.#first = link;
    else this.#last.next = link;
    this.#last = link;
    this.#size += 1;
    return link;
  }

  /** Removes the value `entry` was added with; a second delete does nothing. */
  delete(entry: LinkedSetEntry): void {
    const link = entry as Link<T>;
    if (!link.linked) return;
    if (link.previous === undefined) this.#first = link.next;
    else link.previous.next = link.next;
    if (link.next === undefined) this.#last = link.previous;
    else link.next.previous = link.previous;
    link.value = undefined;
    link.previous = undefined;
    link.next = undefined;
    link.linked = false;
    this.#size -= 1;
  }

  /** The values in the order they were added, as they are now. */
  values(): T[] {
    const values: T[] = [];
    for (let link = this.#first; link !== undefined; link = link.next) values.push(link.value as T);
    return values;
  }
}
