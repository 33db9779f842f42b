import { once } from 'node:events';
import { INSTANCE_HEADER } from '@exorelay/protocol';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Client, type Dispatcher } from 'undici';

export interface EventStreamQuery {
  service: string;
  receives?: readonly string[];
  instance?: string;
  lastEventId?: number;
}

/**
 * `GET /events` spoken at the wire level, the way a relay or a browser would: undici for the
 * connection, eventsource-parser for the stream. Records every event and heartbeat comment.
 */
export interface EventStreamClient extends AsyncDisposable {
  readonly status: number;
  readonly headers: Dispatcher.ResponseData['headers'];
  /** The body of a refusal (status other than 200). */
  readonly text: string;
  /** The id the bus gave the instance (`exorelay-instance` header). */
  readonly instance: string;
  readonly events: EventSourceMessage[];
  readonly comments: string[];
  /** Resolves once `count` events arrived in all. */
  waitForEvents(count: number): Promise<EventSourceMessage[]>;
  /** Resolves once `count` heartbeat comments arrived in all. */
  waitForComments(count: number): Promise<void>;
  /** Starts reading a stream opened with `read: false`. */
  resume(): void;
  /** Resolves when the bus closes the connection (or it breaks) and everything before that was read. */
  readonly ended: Promise<void>;
  /** Closes the connection from this side. */
  close(): Promise<void>;
}

/** `read: false` opens the stream but does not read it until `resume()`: a consumer that stopped reading. */
export async function openEventStream(
  busPort: number,
  query: EventStreamQuery,
  { read = true }: { read?: boolean } = {},
): Promise<EventStreamClient> {
  const search = new URLSearchParams({ service: query.service });
  if (query.instance !== undefined) search.set('instance', query.instance);
  for (const name of query.receives ?? []) search.append('receives', name);
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (query.lastEventId !== undefined) headers['last-event-id'] = String(query.lastEventId);
  const closing = new AbortController();
  // Its own connection, closed with it: the shared global agent would keep sockets the bus waits for.
  const client = new Client(`http://127.0.0.1:${busPort}`);
  const response = await client.request({
    method: 'GET',
    path: `/events?${search}`,
    headers,
    signal: closing.signal,
    bodyTimeout: 0,
  });
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const arrived = new EventTarget();
  const parser = createParser({
    onEvent: (event) => {
      events.push(event);
      arrived.dispatchEvent(new Event('arrived'));
    },
    onComment: (comment) => {
      comments.push(comment);
      arrived.dispatchEvent(new Event('arrived'));
    },
  });
  const consume = async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
    } catch {
      // Closed from either side: `ended` resolves either way.
    }
  };
  const text = response.statusCode === 200 ? '' : await response.body.text();
  let resume = () => {};
  const reading = read ? Promise.resolve() : new Promise<void>((start) => (resume = start));
  const ended = response.statusCode !== 200 ? Promise.resolve() : reading.then(consume);
  const waitUntil = async (check: () => boolean) => {
    const timeout = AbortSignal.timeout(10_000);
    while (!check()) await once(arrived, 'arrived', { signal: timeout });
  };
  const close = async () => {
    closing.abort();
    resume();
    await ended.catch(() => undefined);
    await client.destroy();
  };
  const instance = response.headers[INSTANCE_HEADER];
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    instance: typeof instance === 'string' ? instance : '',
    events,
    comments,
    async waitForEvents(count) {
      await waitUntil(() => events.length >= count);
      return events.slice(0, count);
    },
    waitForComments: (count) => waitUntil(() => comments.length >= count),
    resume: () => resume(),
    ended,
    close,
    [Symbol.asyncDispose]: close,
  };
}
