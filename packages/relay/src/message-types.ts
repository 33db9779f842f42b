/**
 * Type-level description of the messages a relay knows. `@exorelay/contracts` derives one from
 * schemas; without contracts a relay uses {@link UntypedMessages}, where every name is allowed
 * and every payload is `unknown`.
 */
export interface MessageSpec {
  /** Payload type of the message itself. */
  payload: unknown;
  /** Outcome name → payload type of each reply the message may get. */
  replies: Record<string, unknown>;
  /** The outcomes (keys of `replies`) that are progress, i.e. not final. */
  progress: string;
}

export type MessageMap = Record<string, MessageSpec>;

export type UntypedMessages = Record<string, { payload: unknown; replies: Record<string, unknown>; progress: string }>;

export type MessageName<M extends MessageMap> = keyof M & string;

export type PayloadOf<M extends MessageMap, N extends MessageName<M>> = M[N]['payload'];

type RepliesOf<M extends MessageMap, N extends MessageName<M>> = M[N]['replies'];

export type OutcomeOf<M extends MessageMap, N extends MessageName<M>> = keyof RepliesOf<M, N> & string;

/** Progress outcomes of a message; any string when the relay is untyped. */
export type ProgressOutcomeOf<M extends MessageMap, N extends MessageName<M>> =
  string extends OutcomeOf<M, N> ? string : Extract<M[N]['progress'], OutcomeOf<M, N>>;

/** Final outcomes of a message; any string when the relay is untyped. */
export type FinalOutcomeOf<M extends MessageMap, N extends MessageName<M>> =
  string extends OutcomeOf<M, N> ? string : Exclude<OutcomeOf<M, N>, M[N]['progress']>;

/** One reply as a consumer sees it. */
export interface Reply<Outcome extends string = string, Payload = unknown> {
  /** The reply's message name: what happened (`'transferred'`, `'insufficient funds'` …). */
  outcome: Outcome;
  payload: Payload;
  /** This reply's own id. */
  requestId: string;
  /** The id of the message it answers. */
  responseTo: string;
  /** The service that replied, when the bus says (a broadcast can get replies from several). */
  sender: string | undefined;
  /** `false` for progress and chunk replies; the stream ends after the first final one. */
  final: boolean;
}

/** The replies a message may get, as a union discriminated on `outcome`. */
export type ReplyOf<M extends MessageMap, N extends MessageName<M>> = {
  [O in OutcomeOf<M, N>]: Reply<O, RepliesOf<M, N>[O]>;
}[OutcomeOf<M, N>];

/** The final replies of a message: what `request()` resolves with. */
export type FinalReplyOf<M extends MessageMap, N extends MessageName<M>> = Extract<
  ReplyOf<M, N>,
  { outcome: FinalOutcomeOf<M, N> }
>;
