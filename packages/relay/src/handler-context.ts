import type {
  FinalOutcomeOf,
  MessageMap,
  MessageName,
  PayloadArgument,
  PayloadOf,
  ProgressOutcomeOf,
  ReplyPayloadInputOf,
} from './message-types.js';

/**
 * Answers the message being handled. `reply(outcome, payload)` sends a final reply;
 * `reply.progress(outcome, payload)` sends a progress or chunk reply (`more: true` on the wire).
 * Both resolve when the bus has taken the reply. With contracts, only the message's declared
 * outcomes are accepted, each with its own payload type (required unless it accepts `undefined`).
 */
export interface ReplyFunction<M extends MessageMap, N extends MessageName<M>> {
  <O extends FinalOutcomeOf<M, N>>(
    outcome: O,
    ...payload: PayloadArgument<ReplyPayloadInputOf<M, N, O>>
  ): Promise<void>;
  /** Sends a progress or chunk reply (`more: true` on the wire); more replies follow. */
  progress<O extends ProgressOutcomeOf<M, N>>(
    outcome: O,
    ...payload: PayloadArgument<ReplyPayloadInputOf<M, N, O>>
  ): Promise<void>;
}

/**
 * Declare the shape of `ctx.auth` once for the whole program, by augmenting this interface:
 *
 * @example
 * declare module 'exorelay' {
 *   interface AuthRegistry { auth: { userId: string; roles: string[] } }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by module augmentation
export interface AuthRegistry {}

/** The type of `ctx.auth`: what `AuthRegistry` declares, or `unknown`; absent when the sender gave none. */
export type AuthOf = AuthRegistry extends { auth: infer A } ? A | undefined : unknown;

/** What a handler gets besides the payload. `send` and `request` are the relay's own. */
export interface HandlerContext<M extends MessageMap, N extends MessageName<M>, Relay> {
  reply: ReplyFunction<M, N>;
  send: Relay extends { send: infer Send } ? Send : never;
  request: Relay extends { request: infer Request } ? Request : never;
  /** Id of the message being handled; replies carry it as `responseTo`. */
  requestId: string;
  /** The service that sent the message, when the bus says. */
  sender: string | undefined;
  /**
   * Who the sender acts for, as it vouches (the envelope's `auth`): for a browser's message
   * through the frontend bridge, what its `authorize` returned. `undefined` when not given.
   */
  auth: AuthOf;
  messageName: N;
  /**
   * Aborts when the relay stops waiting for this handler: `close()` ran out of `drainTimeout`.
   * Pass it to the I/O the handler does, so that work stops too.
   */
  signal: AbortSignal;
}

/**
 * The function that serves message `N`: gets its payload (validated against the contracts) and
 * a {@link HandlerContext}. It may be async; a throw or rejection before its final reply
 * answers the sender `exo.error` `HANDLER_FAILED`.
 */
export type MessageHandler<M extends MessageMap, N extends MessageName<M>, Relay> = (
  payload: PayloadOf<M, N>,
  context: HandlerContext<M, N, Relay>,
) => unknown;
