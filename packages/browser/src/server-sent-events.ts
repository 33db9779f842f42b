import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * The events of an SSE response body, parsed by `eventsource-parser`. `onActivity` hears every
 * chunk, heartbeat comments included, so a caller can tell a quiet stream from a dead one.
 * Stopping early (a `break`, a `return()`) cancels the body, which closes the connection.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onActivity: () => void = () => {},
): AsyncGenerator<EventSourceMessage> {
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => parsed.push(event) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onActivity();
      parser.feed(decoder.decode(value, { stream: true }));
      while (parsed.length > 0) yield parsed.shift() as EventSourceMessage;
    }
  } finally {
    reader.cancel().catch(() => {
      // The body is already closed or broken; either way nothing is left to release.
    });
  }
}
