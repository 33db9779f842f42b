import { isReservedName, RESERVED_PREFIX } from '@exorelay/protocol';
import { InvalidArgumentError } from './errors.js';
import type { Reply } from './message-types.js';
import type { ReplyStreamOptions } from './reply-stream.js';

/** Called once per reply, in order: the original ExoRelay's callback form of `send`. */
export type ReplyCallback<R extends Reply = Reply> = (payload: R['payload'], reply: R) => void;

export interface SendOptions<R extends Reply = Reply> extends ReplyStreamOptions {
  /** Called once per reply, as an alternative to iterating the returned stream. */
  onReply?: ReplyCallback<R>;
  /**
   * Keep the replies although the stream is not read in the tick it was made (you promise to
   * read it later, e.g. after `await stream.sent`).
   * @default false
   */
  keepReplies?: boolean;
  /**
   * Who this message is sent for (a signed-in user's id and roles), as this service vouches:
   * the envelope's `auth`, which the receiving handler reads as `ctx.auth`. Any JSON value.
   * @example relay.send('orders.list', {}, { auth: { userId: 'u-17', roles: ['customer'] } })
   */
  auth?: unknown;
}

export type SendArguments = { ok: true; options: SendOptions<Reply> } | { ok: false; error: InvalidArgumentError };

/** Checks `send`'s arguments with the original ExoRelay's texts. */
export function checkSendArguments(name: unknown, payload: unknown, third: unknown): SendArguments {
  const problem = nameProblem(name) ?? payloadProblem(payload);
  if (problem !== undefined) return { ok: false, error: new InvalidArgumentError(problem) };
  if (third === undefined) return { ok: true, options: {} };
  if (typeof third === 'function') return { ok: true, options: { onReply: third as ReplyCallback } };
  if (typeof third !== 'object' || third === null) {
    return {
      ok: false,
      error: new InvalidArgumentError('The reply handler given to ExoRelay#send must be a function'),
    };
  }
  const options = third as SendOptions<Reply>;
  if (options.onReply !== undefined && typeof options.onReply !== 'function') {
    return {
      ok: false,
      error: new InvalidArgumentError('The reply handler given to ExoRelay#send must be a function'),
    };
  }
  const timing = timingProblem(options);
  if (timing !== undefined) return { ok: false, error: new InvalidArgumentError(timing) };
  return { ok: true, options };
}

function nameProblem(name: unknown): string | undefined {
  if (name === undefined || name === null || name === '') return 'ExoRelay#send cannot send empty messages';
  if (typeof name !== 'string') return 'ExoRelay#send can only send string messages';
  if (isReservedName(name)) {
    return `ExoRelay#send cannot send '${name}': names starting with '${RESERVED_PREFIX}' are reserved for the protocol`;
  }
  return undefined;
}

function payloadProblem(payload: unknown): string | undefined {
  if (typeof payload === 'function') return 'ExoRelay#send cannot send functions as payload';
  return undefined;
}

function timingProblem(options: ReplyStreamOptions): string | undefined {
  for (const key of ['timeout', 'idleTimeout'] as const) {
    const value = options[key];
    if (value !== undefined && !(typeof value === 'number' && value > 0)) {
      return `ExoRelay#send option ${key} must be a positive number of ms (or Infinity), got ${String(value)}`;
    }
  }
  return undefined;
}
