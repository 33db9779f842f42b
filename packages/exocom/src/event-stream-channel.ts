import type { ServerResponse } from 'node:http';
import { debug } from './debug.js';
import type { DeliveryOutcome, InstanceChannel, OutgoingMessage } from './delivery.js';
import { EventBuffer, type EventBufferLimits, type ResumeResult } from './event-buffer.js';

/** The state of an event-stream instance, as `/status` shows it. */
export interface EventStreamSnapshot {
  /** The id the bus gave the instance; its relay sends it in the `exorelay-instance` header. */
  id: string;
  /** Whether its `GET /events` connection is open now. */
  connected: boolean;
  /** The id of the latest event the bus numbered for it. */
  lastEventId: number;
  /** Events not written to its connection yet. */
  unwritten: number;
  /** Events held for it (not written yet, or kept for a replay). */
  buffered: number;
  bufferedBytes: number;
  /** Bytes written to its connection that the socket has not sent yet (`response.writableLength`). */
  writeBuffer: number;
}

/** Why an event-stream connection ended. */
export type DisconnectReason = 'disconnected' | 'slow-consumer';

export interface EventStreamChannelOptions {
  id: string;
  limits: EventBufferLimits;
  /**
   * Event ids read `ID:N` rather than `N`, so a plain EventSource client that sends back only
   * `Last-Event-ID` (no `instance=`) resumes this very instance.
   */
  idsNameInstance: boolean;
  /** The connection ended; the instance may come back within `limits.retention`. */
  onDisconnect(reason: DisconnectReason): void;
  /** The instance stayed away longer than `limits.retention`. */
  onExpire(): void;
}

// Events written together: fewer, larger writes, but none so large that it dwarfs the socket's buffer.
const chunkSize = 64 * 1024;

/**
 * Delivers to an instance that reads `GET /events`: every message becomes an event in the
 * instance's {@link EventBuffer} and is written to its open response when the response can
 * take more. Writing stops when `write()` says the socket is full and resumes on `drain`, so
 * the bus never holds more than the socket's buffer plus the event buffer; when events not
 * written yet fill the event buffer, the consumer is too slow and is disconnected.
 */
export class EventStreamChannel implements InstanceChannel {
  readonly id: string;
  readonly #options: EventStreamChannelOptions;
  readonly #buffer: EventBuffer;
  #response: ServerResponse | undefined;
  /** `write()` returned false: wait for `drain`. */
  #blocked = false;
  #flushScheduled = false;
  #expiry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: EventStreamChannelOptions) {
    this.id = options.id;
    this.#options = options;
    this.#buffer = new EventBuffer(options.limits, Date.now, options.idsNameInstance ? `${options.id}:` : '');
  }

  get connected(): boolean {
    return this.#response !== undefined;
  }

  async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    if (this.#closed) return { kind: 'not-reached', reason: 'the event-stream instance was forgotten' };
    if (this.#buffer.add(message.name, message.json) === undefined) {
      const reason = `its event stream holds ${this.#buffer.size} events (${this.#buffer.bytes} bytes) it has not read, the most it may: it reads too slowly or is away`;
      if (this.#response !== undefined) this.#disconnect('slow-consumer');
      return { kind: 'not-reached', reason };
    }
    this.#scheduleFlush();
    return { kind: 'delivered' };
  }

  /** Whether a consumer that received every event up to `lastEventId` can be replayed the rest. */
  canResume(lastEventId: number): ResumeResult {
    return this.#buffer.canResume(lastEventId);
  }

  /**
   * Makes `response` (headers sent) this instance's connection and writes what it has not
   * received: everything after `lastEventId` (checked with `canResume`). A connection still
   * open is replaced.
   */
  connect(response: ServerResponse, lastEventId: number): void {
    this.#buffer.resume(lastEventId);
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
    const previous = this.#response;
    this.#response = response;
    this.#blocked = false;
    previous?.destroy();
    response.on('close', () => {
      if (this.#response === response) this.#disconnect('disconnected');
    });
    this.#flush();
  }

  /** Writes a comment, so idle connections stay open and a dead one shows. Also ages out old events. */
  heartbeat(): void {
    this.#buffer.trim();
    if (this.#response === undefined || this.#blocked) return;
    if (!this.#response.write(': heartbeat\n\n')) this.#waitForDrain(this.#response);
  }

  snapshot(): EventStreamSnapshot {
    return {
      id: this.id,
      connected: this.connected,
      lastEventId: this.#buffer.lastId,
      unwritten: this.#buffer.unwritten,
      buffered: this.#buffer.size,
      bufferedBytes: this.#buffer.bytes,
      writeBuffer: this.#response?.writableLength ?? 0,
    };
  }

  /** Events only live in this channel: retiring it forgets them, as closing does. */
  retire(): Promise<void> {
    return this.close();
  }

  /** Ends the connection (at once when it is stuck) and forgets everything. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#expiry);
    const response = this.#response;
    this.#response = undefined;
    if (response === undefined) return;
    if (this.#blocked) response.destroy();
    else response.end();
  }

  #disconnect(reason: DisconnectReason): void {
    const response = this.#response;
    this.#response = undefined;
    this.#buffer.disconnected();
    // A slow consumer's socket is full; ending it politely would wait for the consumer.
    response?.destroy();
    debug('event stream %s %s; %d events wait for it', this.id, reason, this.#buffer.unwritten);
    if (this.#closed) return;
    this.#expiry = setTimeout(() => this.#options.onExpire(), this.#options.limits.retention).unref();
    this.#options.onDisconnect(reason);
  }

  /** Coalesces the events of one turn of the event loop into as few writes as possible. */
  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#response === undefined || this.#blocked) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const response = this.#response;
    if (response === undefined || this.#blocked) return;
    for (;;) {
      const chunk = this.#buffer.takeUnwritten(chunkSize);
      if (chunk === undefined) return;
      const written = response.write(chunk.text, (error) => {
        // Only what the socket took may leave the buffer; a stale connection's news is ignored.
        if (error === undefined || error === null) {
          if (this.#response === response) this.#buffer.flushed(chunk.lastId);
        }
      });
      if (!written) {
        this.#waitForDrain(response);
        return;
      }
    }
  }

  #waitForDrain(response: ServerResponse): void {
    this.#blocked = true;
    response.once('drain', () => {
      if (this.#response !== response) return;
      this.#blocked = false;
      this.#flush();
    });
  }
}
