import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BridgeEventType, type PushedMessage } from '@exorelay/protocol';
import { debug } from './debug.js';
import { EVENT_STREAM_HEADERS, formatComment, formatEvent } from './sse-format.js';

export interface PushHubOptions {
  heartbeatInterval: number;
  /** How many recent events are kept for browsers that reconnect with `Last-Event-ID`. */
  replayLimit: number;
  /** Most bytes of recent events kept for reconnecting browsers. */
  replayBytes: number;
  /** Whether the browser with `identity` (what `authorize` returned) may see `message`. */
  filter: (message: PushedMessage, identity: unknown) => boolean;
}

/**
 * Unread bytes a browser may leave on its event stream before it is disconnected. It reconnects
 * and catches up from the replay buffer, so a slow tab costs bounded memory, never more.
 */
const MAX_UNREAD_BYTES = 1024 * 1024;

interface RecentEvent {
  seq: number;
  text: string;
  message: PushedMessage;
}

/**
 * The open event streams of one bridge: writes every pushed message to each, replays what a
 * reconnecting browser missed, and keeps idle streams alive with heartbeats. Event ids are
 * `EPOCH-SEQ`: a browser that comes back after a server restart (another epoch) gets no replay
 * of events this process never had.
 */
export class PushHub {
  readonly #options: PushHubOptions;
  readonly #epoch = randomUUID().slice(0, 8);
  /** Each open stream, with the identity `authorize` gave its browser. */
  readonly #clients = new Map<ServerResponse, unknown>();
  readonly #recent: RecentEvent[] = [];
  #recentBytes = 0;
  #seq = 0;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: PushHubOptions) {
    this.#options = options;
  }

  /** How many browsers hold an event stream open now. */
  get size(): number {
    return this.#clients.size;
  }

  push(message: PushedMessage): void {
    if (this.#closed) return;
    this.#seq += 1;
    const text = formatEvent({ event: BridgeEventType.Message, data: message, id: `${this.#epoch}-${this.#seq}` });
    this.#recent.push({ seq: this.#seq, text, message });
    this.#recentBytes += text.length;
    while (
      this.#recent.length > this.#options.replayLimit ||
      (this.#recentBytes > this.#options.replayBytes && this.#recent.length > 0)
    ) {
      this.#recentBytes -= this.#recent.shift()!.text.length;
    }
    for (const [client, identity] of this.#clients) {
      if (this.#maySee(message, identity)) this.#write(client, text);
    }
  }

  /** Opens an event stream on `response`, after the events the browser missed since `Last-Event-ID`. */
  connect(request: IncomingMessage, response: ServerResponse, { identity }: { identity: unknown }): void {
    // The browser may have left while `authorize` ran; its 'close' event is gone already.
    if (response.destroyed) return;
    if (this.#closed) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('the bridge is closed');
      return;
    }
    response.writeHead(200, EVENT_STREAM_HEADERS);
    response.flushHeaders();
    for (const missed of this.#missedSince(request.headers['last-event-id'])) {
      if (this.#maySee(missed.message, identity)) response.write(missed.text);
    }
    this.#clients.set(response, identity);
    response.once('close', () => {
      this.#clients.delete(response);
      if (this.#clients.size === 0) this.#stopHeartbeat();
    });
    this.#startHeartbeat();
  }

  /** Ends every event stream and takes no more. */
  close(): void {
    this.#closed = true;
    this.#stopHeartbeat();
    for (const client of this.#clients.keys()) client.end();
    this.#clients.clear();
  }

  #missedSince(lastEventId: string | string[] | undefined): RecentEvent[] {
    if (typeof lastEventId !== 'string') return [];
    const [epoch, seq] = lastEventId.split('-');
    if (epoch !== this.#epoch) return [];
    const last = Number(seq);
    return Number.isSafeInteger(last) ? this.#recent.filter((event) => event.seq > last) : [];
  }

  /** A filter that throws shows nothing: an error must not leak a message to the wrong browser. */
  #maySee(message: PushedMessage, identity: unknown): boolean {
    try {
      return this.#options.filter(message, identity) === true;
    } catch (error) {
      debug('the push filter threw; the message is not pushed: %s', (error as Error).message);
      return false;
    }
  }

  #write(client: ServerResponse, text: string): void {
    if (client.writableLength > MAX_UNREAD_BYTES) {
      debug('an event stream left %d bytes unread; disconnecting it', client.writableLength);
      client.destroy();
      return;
    }
    client.write(text);
  }

  #startHeartbeat(): void {
    if (this.#heartbeat !== undefined) return;
    this.#heartbeat = setInterval(() => {
      for (const client of this.#clients.keys()) this.#write(client, formatComment('heartbeat'));
    }, this.#options.heartbeatInterval);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
