import { randomUUID } from 'node:crypto';
import { BridgeEventType, type EndEventData, type ErrorEventData, type ReplyEventData } from '@exorelay/protocol';
import { ContractViolationError, ExoRelayError, RemoteError } from 'exorelay';
import { formatEvent } from './sse-format.js';

/** Code of the `error` event for a failure that is not an ExoRelay error (its text stays on the server). */
export const STREAM_FAILED_CODE = 'EXORELAY_SSE_STREAM_FAILED';

/** How a forwarded reply stream ended. */
export interface PipeResult {
  /**
   * `'complete'`: the stream ended and the `end` event went out; `'failed'`: the stream threw
   * and the `error` event went out; `'disconnected'`: the browser left first and the stream
   * was cancelled.
   */
  ending: 'complete' | 'failed' | 'disconnected';
  /** How many `reply` events were written. */
  replies: number;
  /** What the stream threw, when `ending` is `'failed'`: the full error, for the server's logs only. */
  error?: Error;
  /** When `ending` is `'failed'`: the id the browser's `error` event carries too, to find `error` in the logs. */
  correlationId?: string;
}

/**
 * Turns a reply stream into the text of its events, one at a time: a `reply` event per reply,
 * then an `end` or an `error` event. Takes the stream's iterator at once, so a relay stream
 * passed in the tick `relay.send()` made it keeps its replies.
 */
export class ReplyEventFeed {
  readonly #iterator: AsyncIterator<ReplyEventData>;
  #nextId = 0;
  #replies = 0;
  #result: PipeResult | undefined;

  constructor(stream: AsyncIterable<ReplyEventData>) {
    this.#iterator = stream[Symbol.asyncIterator]();
  }

  /** How the stream ended; `undefined` while it runs. */
  get result(): PipeResult | undefined {
    return this.#result;
  }

  /** The text of the next event; `undefined` once the `end` or `error` event was given, or after `cancel()`. */
  async next(): Promise<string | undefined> {
    if (this.#result !== undefined) return undefined;
    let step: IteratorResult<ReplyEventData>;
    try {
      step = await this.#iterator.next();
    } catch (error) {
      const correlationId = randomUUID();
      const result: PipeResult = { ending: 'failed', replies: this.#replies, error: asError(error), correlationId };
      return this.#finish(result, BridgeEventType.Error, errorEventData(error, correlationId));
    }
    if (this.#result !== undefined) return undefined;
    if (step.done === true) {
      return this.#finish({ ending: 'complete', replies: this.#replies }, BridgeEventType.End, {
        replies: this.#replies,
      });
    }
    this.#replies += 1;
    return formatEvent({ event: BridgeEventType.Reply, data: replyEventData(step.value), id: this.#takeId() });
  }

  /** The browser left: stop the stream (a relay stream drops its state) and give no more events. */
  async cancel(): Promise<PipeResult> {
    if (this.#result !== undefined) return this.#result;
    const result: PipeResult = { ending: 'disconnected', replies: this.#replies };
    this.#result = result;
    await this.#iterator.return?.();
    return result;
  }

  #finish(result: PipeResult, event: BridgeEventType, data: EndEventData | ErrorEventData): string | undefined {
    if (this.#result !== undefined) return undefined;
    this.#result = result;
    return formatEvent({ event, data, id: this.#takeId() });
  }

  #takeId(): string {
    const id = String(this.#nextId);
    this.#nextId += 1;
    return id;
  }
}

/** Copies the reply's public fields, so nothing else an iterable yields reaches the browser. */
function replyEventData(reply: ReplyEventData): ReplyEventData {
  const { outcome, payload, requestId, responseTo, sender, final } = reply;
  return { outcome, payload, requestId, responseTo, sender, final };
}

/**
 * What a browser may learn of a failure. A remote failure's text and details are the remote
 * handler's exception and the bus's delivery details (addresses, database errors …): the browser
 * gets the codes, a generic text and `correlationId`; the full error stays on the server.
 */
export function errorEventData(error: unknown, correlationId: string): ErrorEventData {
  if (error instanceof RemoteError) {
    return {
      code: error.code,
      message: `the request failed on the server (${error.remoteCode})`,
      remoteCode: error.remoteCode,
      correlationId,
    };
  }
  if (error instanceof ContractViolationError) {
    return { code: error.code, message: error.message, details: { issues: error.issues }, correlationId };
  }
  // Only the relay's own errors, whose texts name no server internals; others stay on the server.
  if (error instanceof ExoRelayError) return { code: error.code, message: error.message, correlationId };
  return { code: STREAM_FAILED_CODE, message: 'the reply stream failed on the server', correlationId };
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
