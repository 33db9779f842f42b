import { setTimeout as delay } from 'node:timers/promises';
import { eventStreamPath, INSTANCE_HEADER, NamedEnvelope, parseEnvelope } from '@exorelay/protocol';
import { bearerHeader } from '@exorelay/protocol/node';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Client, type Dispatcher } from 'undici';
import { debug } from '../../debug.js';
import { ExoComUnreachableError, InvalidArgumentError, MessageRejectedError, RelayClosedError } from '../../errors.js';
import { type BusTlsConnection, busOrigin } from '../http/exocom-client.js';

/** How errors name the stream request, as they name a message otherwise. */
export const EVENT_STREAM_REQUEST = 'GET /events';

export interface EventStreamOptions {
  host: string;
  port: number;
  serviceName: string;
  /** The service's credential: without it a bus with `auth` neither opens nor resumes the stream. */
  token: string | undefined;
  /** HTTPS to the bus; plain HTTP without it. */
  tls: BusTlsConnection | undefined;
  /** The names to announce in the query of each (re)connect. */
  handledNames(): readonly string[];
  /** How long to wait for the bus to answer a connect, in ms. */
  connectTimeout: number;
  /** Reconnect after this many ms without a byte (event or heartbeat). */
  heartbeatTimeout: number;
  /** First reconnect backoff in ms; doubles up to `maxReconnectDelay`. */
  reconnectDelay: number;
  maxReconnectDelay: number;
  /** A connection opened: the bus named the instance; `names` are those the connect announced. */
  onConnect(connection: { instance: string; names: readonly string[] }): void;
  /** The connection was lost; the stream tries again (attempt 1, 2 …). */
  onDisconnect(status: { attempt: number; error?: Error }): void;
  /** One message, in the order the bus numbered them. Must not reject. */
  onMessage(message: NamedEnvelope): Promise<void>;
  /** An event that is not a message (cannot happen with a conforming bus). */
  onMalformedEvent(error: Error): void;
}

interface Connection {
  body: Dispatcher.ResponseData['body'];
}

/**
 * The relay's end of `GET /events`: connects with undici, parses the body with
 * eventsource-parser, hands each event's envelope on in order, and reconnects with backoff,
 * its instance id and `Last-Event-ID`, so the bus replays what was missed and nothing twice.
 * Reading waits for each message to be handed on, so a busy relay slows the stream rather than
 * buffering it.
 */
export class EventStream {
  readonly #options: EventStreamOptions;
  readonly #client: Client;
  readonly #closing = new AbortController();
  #instance: string | undefined;
  /** The id of the last event handed on; the bus replays everything after it. */
  #lastEventId = 0;
  #running: Promise<void> | undefined;

  constructor(options: EventStreamOptions) {
    this.#options = options;
    this.#client = new Client(busOrigin(options.host, options.port, options.tls), {
      ...(options.tls === undefined ? {} : { connect: options.tls }),
    });
  }

  /** The id the bus gave this instance, once connected. */
  get instance(): string | undefined {
    return this.#instance;
  }

  /**
   * Connects, trying again while the bus cannot be reached (each failed attempt is reported with
   * `onDisconnect`), and resolves once the stream is open (the bus routes the announced names
   * to it from then on); keeps it open until `close()`. `signal` gives up connecting.
   */
  async open(signal?: AbortSignal): Promise<void> {
    const connection = await this.#connectFirst(signal);
    this.#running = this.#run(connection);
  }

  /** Stops reading and reconnecting; messages not handed on yet stay with the bus. */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.#running;
    await this.#client.destroy();
  }

  /** Connects, trying again with backoff while the bus cannot be reached; a refusal or `signal` ends it. */
  async #connectFirst(signal: AbortSignal | undefined): Promise<Connection> {
    const { host, port } = this.#options;
    const stop = signal === undefined ? this.#closing.signal : AbortSignal.any([this.#closing.signal, signal]);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#connect();
      } catch (error) {
        if (this.#closing.signal.aborted) throw new RelayClosedError('the relay closed while it connected');
        if (error instanceof MessageRejectedError) throw error;
        const unreachable = new ExoComUnreachableError(host, port, EVENT_STREAM_REQUEST, { cause: error });
        debug('opening the event stream failed (%s), attempt %d', (error as Error).message, attempt);
        this.#options.onDisconnect({ attempt, error: unreachable });
        if (!(await this.#wait(attempt - 1, stop))) throw signal?.aborted ? signal.reason : unreachable;
      }
    }
  }

  async #run(first: Connection): Promise<void> {
    let connection: Connection | undefined = first;
    while (connection !== undefined) {
      const error = await this.#read(connection);
      if (this.#closing.signal.aborted) return;
      connection = await this.#reconnect(error);
    }
  }

  /** Tries again with backoff until connected; `undefined` once closing. */
  async #reconnect(lost: Error | undefined): Promise<Connection | undefined> {
    let error = lost;
    for (let attempt = 1; ; attempt += 1) {
      debug('event stream lost (%s); reconnect attempt %d', error?.message ?? 'the bus ended it', attempt);
      this.#options.onDisconnect(error === undefined ? { attempt } : { attempt, error });
      if (!(await this.#wait(attempt - 1))) return undefined;
      try {
        return await this.#connect();
      } catch (failure) {
        if (this.#closing.signal.aborted) return undefined;
        error = failure as Error;
      }
    }
  }

  async #connect(): Promise<Connection> {
    const names = [...this.#options.handledNames()];
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.#options.token !== undefined) headers.authorization = bearerHeader(this.#options.token);
    if (this.#instance !== undefined) headers['last-event-id'] = String(this.#lastEventId);
    const response = await this.#client.request({
      method: 'GET',
      path: this.#path(names),
      headers,
      signal: this.#closing.signal,
      headersTimeout: this.#options.connectTimeout,
      bodyTimeout: this.#options.heartbeatTimeout,
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      throw new MessageRejectedError(
        EVENT_STREAM_REQUEST,
        response.statusCode,
        text || `status ${response.statusCode}`,
      );
    }
    const instance = response.headers[INSTANCE_HEADER];
    if (typeof instance !== 'string' || instance === '') {
      response.body.destroy();
      throw new MessageRejectedError(
        EVENT_STREAM_REQUEST,
        200,
        `the bus named no instance (${INSTANCE_HEADER} header)`,
      );
    }
    if (instance !== this.#instance) {
      // A new instance (first connect, or the bus forgot the old one): its events count from 1.
      if (this.#instance !== undefined) debug('the bus forgot instance %s; now %s', this.#instance, instance);
      this.#instance = instance;
      this.#lastEventId = 0;
    }
    this.#options.onConnect({ instance, names });
    return { body: response.body };
  }

  /** Reads one connection until it ends; resolves with why it ended (`undefined`: the bus ended it). */
  async #read(connection: Connection): Promise<Error | undefined> {
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of connection.body) {
        parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
        for (const event of events.splice(0)) {
          if (this.#closing.signal.aborted) return undefined;
          await this.#handOn(event);
        }
      }
      return undefined;
    } catch (error) {
      return error as Error;
    } finally {
      connection.body.destroy();
    }
  }

  async #handOn(event: EventSourceMessage): Promise<void> {
    const parsed = parseEvent(event);
    if (parsed.ok) await this.#options.onMessage(parsed.message);
    else
      this.#options.onMalformedEvent(
        new InvalidArgumentError(`ExoCom sent an event that is not a message, dropped: ${parsed.error}`),
      );
    // `N`, or `INSTANCE:N` as the bus numbers events for clients that name no receives.
    const id = Number(/(\d+)$/.exec(event.id ?? '')?.[1]);
    if (Number.isSafeInteger(id) && id > 0) this.#lastEventId = id;
  }

  /** Waits the backoff before attempt `attempt + 1`; `false` when closing (or `signal`) cut the wait short. */
  async #wait(attempt: number, signal: AbortSignal = this.#closing.signal): Promise<boolean> {
    const { reconnectDelay, maxReconnectDelay } = this.#options;
    // Jitter, so relays that lost one bus do not all come back at the same instant.
    const backoff = Math.min(maxReconnectDelay, reconnectDelay * 2 ** attempt) * (0.5 + Math.random() / 2);
    try {
      await delay(backoff, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  }

  #path(names: readonly string[]): string {
    return eventStreamPath({ serviceName: this.#options.serviceName, receives: names, instance: this.#instance });
  }
}

function parseEvent(event: EventSourceMessage): { ok: true; message: NamedEnvelope } | { ok: false; error: string } {
  const where = `event ${event.id ?? '(no id)'}`;
  if (event.event === undefined) return { ok: false, error: `${where} has no name (event: field)` };
  let name: string;
  let json: unknown;
  try {
    name = decodeURIComponent(event.event);
  } catch {
    return { ok: false, error: `${where} has a malformed name: ${event.event}` };
  }
  try {
    json = JSON.parse(event.data);
  } catch (error) {
    return { ok: false, error: `${where} ('${name}') holds malformed JSON: ${(error as Error).message}` };
  }
  const parsed = parseEnvelope(json);
  if (!parsed.ok) return { ok: false, error: `${where} ('${name}'): ${parsed.error}` };
  return { ok: true, message: new NamedEnvelope(name, parsed.envelope) };
}
