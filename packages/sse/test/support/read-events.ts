import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** An event of an SSE response, with its `data` parsed as JSON. */
export interface ParsedEvent {
  event: string | undefined;
  id: string | undefined;
  data: unknown;
}

export interface EventReader {
  /** The next event; rejects if the body ends first. */
  next(): Promise<ParsedEvent>;
  /** Every event up to the end of the body. */
  rest(): Promise<ParsedEvent[]>;
  /** The comments seen so far (heartbeats). */
  comments: string[];
  /** Resolves once a comment arrived. */
  nextComment(): Promise<string>;
}

/** Reads an SSE response body event by event, with the same parser the browser client uses. */
export function readEvents(body: ReadableStream<Uint8Array>): EventReader {
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onComment: (comment) => comments.push(comment),
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parse = (event: EventSourceMessage): ParsedEvent => ({
    event: event.event,
    id: event.id,
    data: JSON.parse(event.data),
  });
  const readMore = async (): Promise<boolean> => {
    const { done, value } = await reader.read();
    if (done) return false;
    parser.feed(decoder.decode(value, { stream: true }));
    return true;
  };
  return {
    comments,
    async next() {
      while (events.length === 0) {
        if (!(await readMore())) throw new Error('the event stream ended');
      }
      return parse(events.shift()!);
    },
    async rest() {
      while (await readMore());
      return events.splice(0).map(parse);
    },
    async nextComment() {
      const seen = comments.length;
      while (comments.length === seen) {
        if (!(await readMore())) throw new Error('the event stream ended before a comment');
      }
      return comments[seen]!;
    },
  };
}
