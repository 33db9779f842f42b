/** Response headers of every event stream: no caching, and no proxy buffering that would delay events. */
export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
} as const;

/** One Server-Sent Event, in the wire format of the WHATWG HTML standard. */
export interface ServerSentEvent {
  /** The `event:` field: what kind of event this is. */
  event: string;
  /** Serialised as JSON into the `data:` field. */
  data: unknown;
  /** The `id:` field; the browser sends the last one back as `Last-Event-ID` when it reconnects. */
  id?: string;
}

/**
 * Writes one event as text. JSON never holds a raw line break, so `data` fits on one `data:`
 * line; `event` and `id` come from our own code and never hold one either.
 */
export function formatEvent({ event, data, id }: ServerSentEvent): string {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `event: ${event}\n${idLine}data: ${JSON.stringify(data) ?? 'null'}\n\n`;
}

/** A comment line: browsers ignore it, but it keeps proxies from closing an idle connection and shows it is alive. */
export function formatComment(text: string): string {
  return `: ${text}\n\n`;
}

/**
 * How often an idle stream gets a heartbeat comment, in ms, unless told otherwise. Below the
 * 30–60 s after which common proxies and load balancers drop a silent connection.
 */
export const DEFAULT_HEARTBEAT_INTERVAL = 15_000;
