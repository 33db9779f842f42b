// Type-level only: the message maps that the relay, the contracts and the browser client share.
// They live here, in the package every one of them depends on, so that `@exorelay/browser`'s
// published types do not need `exorelay` (nor its Node types) installed.
/**
 * Type-level description of the messages a relay knows. `@exorelay/contracts` derives one from
 * schemas; without contracts a relay uses {@link UntypedMessages}, where every name is allowed
 * and every payload is `unknown`.
 */
export interface MessageSpec {
  /** Payload type of the message as its handler receives it (after validation). */
  payload: unknown;
  /**
   * Outcome name → payload type of each reply, as the requester receives it: an object type such
   * as `{ 'users.created': User; 'users.invalid': { reason: string } }`. Only `object`, not
   * `Record<string, unknown>`: checking a message map against that works out every reply type
   * of every message as soon as `ExoRelay<M>` is written, for contracts the output type of every
   * reply schema (docs/performance.md). Against `object` no reply type is looked at; each is
   * worked out where a call uses its message. (So a relay typed with `MessageMap` itself knows
   * no outcomes; an untyped relay is `ExoRelay<UntypedMessages>`.)
   */
  replies: object;
  /** The outcomes (keys of `replies`) that are progress, i.e. not final. */
  progress: string;
  /**
   * What a sender must provide, where it differs from what the receiver gets: a schema with
   * defaults or transforms accepts less than it returns. Absent means "the same as above".
   */
  input?: { payload: unknown; replies: object };
}

/** Message name → its {@link MessageSpec}: the type parameter of a typed relay. */
export type MessageMap = Record<string, MessageSpec>;

/** The message map of a relay without contracts: any name, `unknown` payloads, any outcome. */
export type UntypedMessages = Record<string, { payload: unknown; replies: Record<string, unknown>; progress: string }>;

/**
 * The message names of `M`. Written as a conditional that hands back the union itself, so that
 * an editor shows a misspelt name against `"users.create" | "users.list" | …`, not against this
 * alias.
 */
export type MessageName<M extends MessageMap> = keyof M & string;

/**
 * The payload of message `N` as its handler receives it. Read with `infer`, like
 * {@link PayloadInputOf}, so that a handler's payload is not typed against every message's
 * payload while the call's `N` is still being inferred.
 */
export type PayloadOf<M extends MessageMap, N extends MessageName<M>> = M[N] extends { payload: infer Payload }
  ? Payload
  : never;

/**
 * The payload `send`/`request` accept for message `N`. Both branches `infer`, so that the
 * type's constraint is `unknown`: while a call's `N` is not inferred yet, the compiler types
 * the payload argument against that constraint, and `M[N]['payload']` there would be every
 * message's payload, worked out at the first call (docs/performance.md).
 */
export type PayloadInputOf<M extends MessageMap, N extends MessageName<M>> = M[N] extends {
  input: { payload: infer Payload };
}
  ? Payload
  : M[N] extends { payload: infer Payload }
    ? Payload
    : never;

type RepliesOf<M extends MessageMap, N extends MessageName<M>> = M[N]['replies'];

type ReplyInputsOf<M extends MessageMap, N extends MessageName<M>> = M[N] extends { input: { replies: infer Replies } }
  ? Replies
  : M[N]['replies'];

/** The outcome names message `N` may be answered with. */
export type OutcomeOf<M extends MessageMap, N extends MessageName<M>> = keyof RepliesOf<M, N> & string;

/** Progress outcomes of a message; any string when the relay is untyped. */
export type ProgressOutcomeOf<M extends MessageMap, N extends MessageName<M>> =
  string extends OutcomeOf<M, N> ? string : Extract<M[N]['progress'], OutcomeOf<M, N>>;

/** Final outcomes of a message; any string when the relay is untyped. */
export type FinalOutcomeOf<M extends MessageMap, N extends MessageName<M>> =
  string extends OutcomeOf<M, N> ? string : Exclude<OutcomeOf<M, N>, M[N]['progress']>;

/** The payload a handler may reply with under `outcome`; `unknown` for an undeclared outcome of an untyped relay. */
export type ReplyPayloadInputOf<
  M extends MessageMap,
  N extends MessageName<M>,
  O extends string,
> = O extends keyof ReplyInputsOf<M, N> ? ReplyInputsOf<M, N>[O] : unknown;

/**
 * The message names `request()` accepts: those with at least one final outcome. An event (a
 * message declared without replies) would only ever time out.
 */
export type RequestableName<M extends MessageMap> = MessageName<M> &
  { [N in MessageName<M>]: [FinalOutcomeOf<M, N>] extends [never] ? never : N }[MessageName<M>];

/** A payload argument that may be left out exactly when the payload type accepts `undefined`. */
export type PayloadArgument<Payload> = undefined extends Payload ? [payload?: Payload] : [payload: Payload];

/** The arguments after the name of `send`/`request`: the payload (required unless it accepts `undefined`), then options. */
export type MessageArguments<M extends MessageMap, N extends MessageName<M>, Options> =
  undefined extends PayloadInputOf<M, N>
    ? [payload?: PayloadInputOf<M, N>, options?: Options]
    : [payload: PayloadInputOf<M, N>, options?: Options];

/** One reply as a consumer sees it. */
export interface Reply<Outcome extends string = string, Payload = unknown, Final extends boolean = boolean> {
  /** The reply's message name: what happened (`'transferred'`, `'insufficient funds'` …). */
  outcome: Outcome;
  payload: Payload;
  /** This reply's own id. */
  requestId: string;
  /** The id of the message it answers. */
  responseTo: string;
  /** The service that replied, when the bus says (a broadcast can get replies from several). */
  sender: string | undefined;
  /**
   * `false` for progress and chunk replies; the stream ends after the first final one. With
   * contracts it is the literal `true` or `false` of the outcome, so `if (reply.final)` narrows.
   */
  final: Final;
}

/** Whether outcome `O` of message `N` ends the stream: `true`, `false`, or `boolean` when untyped. */
type IsFinal<M extends MessageMap, N extends MessageName<M>, O extends string> = string extends O
  ? boolean
  : O extends M[N]['progress']
    ? false
    : true;

/** The replies a message may get, as a union discriminated on `outcome` (and on `final`). */
export type ReplyOf<M extends MessageMap, N extends MessageName<M>> = Expanded<
  { [O in OutcomeOf<M, N>]: Reply<O, RepliesOf<M, N>[O], IsFinal<M, N, O>> }[OutcomeOf<M, N>]
>;

/** The final replies of a message: what `request()` resolves with. */
export type FinalReplyOf<M extends MessageMap, N extends MessageName<M>> = Extract<
  ReplyOf<M, N>,
  { outcome: FinalOutcomeOf<M, N> }
>;

/**
 * The replies themselves: a conditional that resolves to a type it was given keeps no alias,
 * so a hover over `await relay.request(…)` shows `Reply<"users.created", {…}, true> | …`.
 */
type Expanded<Replies extends Reply> = [Replies] extends [infer Union extends Reply] ? Union : never;
