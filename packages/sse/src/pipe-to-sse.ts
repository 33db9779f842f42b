import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ReplyEventData } from '@exorelay/protocol';
import { debug } from './debug.js';
import { type PipeResult, ReplyEventFeed } from './reply-events.js';
import { EVENT_STREAM_HEADERS, formatComment } from './sse-format.js';
import { resolveHeartbeatInterval, type SSEOptions } from './sse-options.js';

/**
 * Forwards a reply stream to a browser as a `text/event-stream` response on a `node:http`
 * response (Express, Fastify's `reply.raw`, Koa's `ctx.res` … are the same object). Each reply
 * becomes a `reply` event, the end an `end` event, a failure (a `RemoteError`, a `TimeoutError`
 * …) an `error` event with `{ code, message }`; idle stretches get heartbeat comments. When the
 * browser disconnects, the stream is cancelled, which drops the relay's state for it.
 *
 * Call it in the tick `relay.send()` made the stream (or send with `keepReplies: true`): it
 * starts reading at once. Resolves when the response is over; never rejects.
 *
 * @example
 * server.on('request', (req, res) => {
 *   void pipeToSSE(relay.send('file.copy', { from: 'a.txt', to: 'b.txt' }), res)
 * })
 */
export function pipeToSSE(
  stream: AsyncIterable<ReplyEventData>,
  response: ServerResponse,
  options: SSEOptions = {},
): Promise<PipeResult> {
  const heartbeatInterval = resolveHeartbeatInterval(options);
  const feed = new ReplyEventFeed(stream);
  return forward(feed, response, heartbeatInterval);
}

async function forward(feed: ReplyEventFeed, response: ServerResponse, heartbeatInterval: number): Promise<PipeResult> {
  const isGone = () => response.destroyed || response.writableEnded;
  const onClose = () => {
    if (response.writableFinished) return;
    debug('the browser left; cancelling the reply stream');
    feed.cancel().catch((error: Error) => debug('cancelling the reply stream failed: %s', error.message));
  };
  response.once('close', onClose);
  if (isGone()) onClose();
  if (!response.headersSent && !isGone()) {
    response.writeHead(200, EVENT_STREAM_HEADERS);
    response.flushHeaders();
  }
  const heartbeat = setInterval(() => {
    if (!isGone()) response.write(formatComment('heartbeat'));
  }, heartbeatInterval);
  try {
    for (let event = await feed.next(); event !== undefined; event = await feed.next()) {
      if (isGone()) break;
      if (!response.write(event)) await drained(response);
    }
    if (!isGone()) response.end();
  } finally {
    clearInterval(heartbeat);
    response.off('close', onClose);
  }
  // The response was destroyed before its 'close' event could cancel the stream.
  return feed.result ?? feed.cancel();
}

/** Waits until the browser has taken what was written, or has gone. */
async function drained(response: ServerResponse): Promise<void> {
  const stop = new AbortController();
  try {
    await Promise.race([
      once(response, 'drain', { signal: stop.signal }),
      once(response, 'close', { signal: stop.signal }),
    ]);
  } finally {
    stop.abort();
  }
}
