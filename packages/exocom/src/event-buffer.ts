/** How much one event-stream instance may hold, and for how long. */
export interface EventBufferLimits {
  /** Most events held, written or not. */
  maxEvents: number;
  /** Most bytes of event text held, written or not. */
  maxBytes: number;
  /** How long an event that was written is kept for a replay, in ms. */
  retention: number;
}

interface BufferedEvent {
  id: number;
  frame: string;
  bytes: number;
  /** When the socket took it (the write's callback); `undefined` until then. */
  flushedAt: number | undefined;
}

/** The next events to write, and the id of the last of them. */
export interface EventChunk {
  text: string;
  lastId: number;
}

/** Where a reconnecting consumer's `Last-Event-ID` leaves it. */
export type ResumeResult = { ok: true } | { ok: false; reason: string };

// Line breaks of any kind end an SSE field, so a JSON text that holds some (pretty-printed) is
// split over several `data:` lines; the reader joins them with '\n', which JSON reads the same.
const lineBreaks = /\r\n|\r|\n/g;

/**
 * One message as an SSE event: `id:` its number (after `idPrefix`, when given), `event:` its
 * name as in `/run/NAME`, `data:` the envelope.
 */
export function formatEvent(id: number, name: string, json: string, idPrefix = ''): string {
  return `id: ${idPrefix}${id}\nevent: ${encodeURIComponent(name)}\ndata: ${json.replace(lineBreaks, '\ndata: ')}\n\n`;
}

/**
 * The events of one instance, numbered 1, 2, 3 … and kept so that a consumer that reconnects
 * can be replayed what it missed. Events the socket has not taken yet are never dropped (those
 * still in Node's write buffer die with a destroyed connection): when they fill the buffer,
 * `add` refuses, and the caller treats the consumer as too slow or gone. Events the socket took
 * are dropped oldest first to make room, and, while the consumer is connected, once they are
 * older than `retention`.
 * Ids are contiguous, so the events after an id are found by arithmetic, not by search.
 */
export class EventBuffer {
  readonly #limits: EventBufferLimits;
  readonly #now: () => number;
  // A queue as an array with a moving head: shift() on a large array copies it every time.
  #events: BufferedEvent[] = [];
  #head = 0;
  #bytes = 0;
  #lastId = 0;
  /** Events up to this id were written to the current connection, or confirmed by a reconnect. */
  #writtenUpTo = 0;
  /** Events up to this id were taken by the socket (or confirmed): they may be dropped. */
  #flushedUpTo = 0;
  /** While the consumer is away nothing ages out: it has confirmed nothing since it left. */
  #away = false;

  readonly #idPrefix: string;

  /** `idPrefix` goes before every event's number in its `id:` field (`INSTANCE:`, for plain EventSource clients). */
  constructor(limits: EventBufferLimits, now: () => number = Date.now, idPrefix = '') {
    this.#limits = limits;
    this.#now = now;
    this.#idPrefix = idPrefix;
  }

  /** Events held, written or not. */
  get size(): number {
    return this.#events.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The id of the latest event. */
  get lastId(): number {
    return this.#lastId;
  }

  /** Events not written to a connection yet. */
  get unwritten(): number {
    return this.#lastId - this.#writtenUpTo;
  }

  /** Numbers and keeps one event; `undefined` when the events not yet written leave no room for it. */
  add(name: string, json: string): number | undefined {
    const id = this.#lastId + 1;
    const frame = formatEvent(id, name, json, this.#idPrefix);
    const bytes = Buffer.byteLength(frame);
    this.#dropFlushed({ events: 1, bytes });
    if (this.size + 1 > this.#limits.maxEvents || this.#bytes + bytes > this.#limits.maxBytes) return undefined;
    this.#events.push({ id, frame, bytes, flushedAt: undefined });
    this.#bytes += bytes;
    this.#lastId = id;
    return id;
  }

  /**
   * The next events not written yet, joined into one chunk of about `maxChunk` bytes (at least
   * one event), marked as written; `undefined` when every event was written.
   */
  takeUnwritten(maxChunk: number): EventChunk | undefined {
    if (this.#writtenUpTo >= this.#lastId) return undefined;
    const frames: string[] = [];
    let size = 0;
    let index = this.#indexOf(this.#writtenUpTo + 1);
    while (index < this.#events.length && (frames.length === 0 || size < maxChunk)) {
      const event = this.#events[index]!;
      frames.push(event.frame);
      size += event.bytes;
      this.#writtenUpTo = event.id;
      index += 1;
    }
    return { text: frames.join(''), lastId: this.#writtenUpTo };
  }

  /** The socket took every event up to `lastId` (written earlier on the current connection). */
  flushed(lastId: number): void {
    if (lastId <= this.#flushedUpTo || this.size === 0) return;
    const now = this.#now();
    const first = Math.max(this.#flushedUpTo + 1, this.#events[this.#head]!.id);
    for (let id = first; id <= lastId; id += 1) this.#events[this.#indexOf(id)]!.flushedAt = now;
    this.#flushedUpTo = lastId;
  }

  /** The consumer's connection closed: keep what it may have missed until it comes back. */
  disconnected(): void {
    this.#away = true;
  }

  /**
   * Whether a consumer that received every event up to `lastEventId` can be replayed the rest:
   * not when events after it are gone, or when it names an event this buffer never had.
   */
  canResume(lastEventId: number): ResumeResult {
    if (lastEventId > this.#lastId) {
      return { ok: false, reason: `Last-Event-ID ${lastEventId} is after the latest event, ${this.#lastId}` };
    }
    const firstHeld = this.size > 0 ? this.#events[this.#head]!.id : this.#lastId + 1;
    if (lastEventId < firstHeld - 1) {
      return { ok: false, reason: `events ${lastEventId + 1} to ${firstHeld - 1} are no longer held` };
    }
    return { ok: true };
  }

  /** The consumer reconnected having received every event up to `lastEventId` (checked with `canResume`): drop those, write the rest again. */
  resume(lastEventId: number): void {
    while (this.size > 0 && this.#events[this.#head]!.id <= lastEventId) this.#dropHead();
    for (let index = this.#head; index < this.#events.length; index += 1) this.#events[index]!.flushedAt = undefined;
    this.#writtenUpTo = lastEventId;
    this.#flushedUpTo = lastEventId;
    this.#away = false;
  }

  /** Drops flushed events older than the retention; called now and then so an idle buffer shrinks. */
  trim(): void {
    this.#dropFlushed({ events: 0, bytes: 0 });
  }

  /** Drops flushed events, oldest first, while they are too old or `incoming` would not fit. */
  #dropFlushed(incoming: { events: number; bytes: number }): void {
    const { maxEvents, maxBytes, retention } = this.#limits;
    const oldest = this.#now() - retention;
    while (this.size > 0) {
      const head = this.#events[this.#head]!;
      if (head.flushedAt === undefined) return;
      const crowded = this.size + incoming.events > maxEvents || this.#bytes + incoming.bytes > maxBytes;
      if (!crowded && (this.#away || head.flushedAt > oldest)) return;
      this.#dropHead();
    }
  }

  #dropHead(): void {
    const head = this.#events[this.#head]!;
    this.#bytes -= head.bytes;
    this.#head += 1;
    if (this.#head === this.#events.length) {
      this.#events = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
  }

  #indexOf(id: number): number {
    return this.#head + (id - this.#events[this.#head]!.id);
  }
}
