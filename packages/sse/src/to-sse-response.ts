import type { ReplyEventData } from '@exorelay/protocol';
import { debug } from './debug.js';
import { type PipeResult, ReplyEventFeed } from './reply-events.js';
import { EVENT_STREAM_HEADERS, formatComment } from './sse-format.js';
import { resolveHeartbeatInterval, type SSEOptions } from './sse-options.js';

/** Options of {@link toSSEResponse}. */
export interface SSEResponseOptions extends SSEOptions {
  /**
   * Cancels the reply stream when it aborts: pass the request's signal (`request.signal`), which
   * fetch-style servers abort when the browser disconnects. Cancelling the response body does
   * the same.
   * @example toSSEResponse(stream, { signal: request.signal })
   */
  signal?: AbortSignal;
  /**
   * Called once when the response is over, with how the stream ended (and its error, if it failed).
   * @example toSSEResponse(stream, { onEnd: ({ error }) => error && log(error) })
   */
  onEnd?: (result: PipeResult) => void;
}

/**
 * The fetch-style twin of {@link pipeToSSE}, for servers whose handlers return a web `Response`
 * (Hono, Deno.serve, Bun.serve, Next.js route handlers …): the same `reply`, `end` and `error`
 * events and heartbeats, as a `ReadableStream` body that reads the reply stream only as fast as
 * the browser takes events. Cancelling the body or aborting `signal` cancels the reply stream.
 *
 * @example
 * app.post('/copy', (c) => toSSEResponse(relay.send('file.copy', { from, to }), { signal: c.req.raw.signal }))
 */
export function toSSEResponse(stream: AsyncIterable<ReplyEventData>, options: SSEResponseOptions = {}): Response {
  const heartbeatInterval = resolveHeartbeatInterval(options);
  const feed = new ReplyEventFeed(stream);
  const encoder = new TextEncoder();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let body!: ReadableStreamDefaultController<Uint8Array>;
  let settled = false;
  const settle = (result: PipeResult) => {
    if (settled) return false;
    settled = true;
    clearInterval(heartbeat);
    options.signal?.removeEventListener('abort', onAbort);
    options.onEnd?.(result);
    return true;
  };
  // The stream ended, failed or was aborted on the server's side: end the body too.
  const settleAndClose = (result: PipeResult) => {
    if (settle(result)) body.close();
  };
  const onAbort = () => {
    feed
      .cancel()
      .then(settleAndClose, (error: Error) => debug('cancelling the reply stream failed: %s', error.message));
  };
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      body = controller;
      heartbeat = setInterval(() => {
        // Only into an empty queue: a browser that reads nothing must not make heartbeats pile up.
        if ((controller.desiredSize ?? 0) > 0) controller.enqueue(encoder.encode(formatComment('heartbeat')));
      }, heartbeatInterval);
    },
    async pull(controller) {
      const event = await feed.next();
      if (settled) return;
      if (event !== undefined) controller.enqueue(encoder.encode(event));
      if (feed.result !== undefined) settleAndClose(feed.result);
    },
    async cancel() {
      settle(await feed.cancel());
    },
  });
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return new Response(readable, { status: 200, headers: EVENT_STREAM_HEADERS });
}
