import type {
  ExoRelay,
  FinalReplyOf,
  MessageHandler,
  MessageMap,
  MessageName,
  OutcomeOf,
  PayloadInputOf,
  PayloadOf,
  ReplyOf,
} from 'exorelay';
import type { ContractDeclarations } from './declaration.js';

// A Zod 4 schema's types are read from `_zod`, as `z.output`/`z.input` do: its `~standard` type
// is spelled with both the input and the output type, so reading either there works out both.
// Any other schema: straight from `~standard.types` (what StandardSchemaV1.InferOutput does),
// without first checking `Schema extends StandardSchemaV1`, which works out the whole interface.
type Output<Schema> = Schema extends { readonly _zod: { readonly output: infer O } }
  ? O
  : Schema extends { readonly '~standard': { readonly types?: { readonly output: infer O } | undefined } }
    ? O
    : undefined;
type Input<Schema> = Schema extends { readonly _zod: { readonly input: infer I } }
  ? I
  : Schema extends { readonly '~standard': { readonly types?: { readonly input: infer I } | undefined } }
    ? I
    : undefined;

type PayloadSchemaOf<Declaration> = Declaration extends { payload: infer Schema } ? Schema : undefined;
type RepliesOf<Declaration> = Declaration extends { replies: infer Replies } ? Replies : Record<never, never>;

/** The relay's type-level view of declarations: schema output where data arrives, input where it leaves. */
export type MessagesFromDeclarations<D extends ContractDeclarations> = {
  [N in keyof D & string]: {
    payload: Output<PayloadSchemaOf<D[N]>>;
    replies: { [O in keyof RepliesOf<D[N]> & string]: Output<RepliesOf<D[N]>[O]> };
    progress: D[N] extends { progress: readonly (infer Outcome)[] } ? Outcome & string : never;
    input: {
      payload: Input<PayloadSchemaOf<D[N]>>;
      replies: { [O in keyof RepliesOf<D[N]> & string]: Input<RepliesOf<D[N]>[O]> };
    };
  };
};

/** Anything that carries message types the way `defineContracts` results do. */
export interface TypedContracts {
  readonly '~messages'?: MessageMap;
}

/**
 * The message map of a contracts object: what `new ExoRelay({ contracts })` is typed with.
 *
 * @example
 * type Messages = InferMessages<typeof contracts>
 * let relay: ExoRelay<Messages>
 */
export type InferMessages<C extends TypedContracts> = NonNullable<C['~messages']>;

/** The message names a contracts object declares. */
export type InferMessageName<C extends TypedContracts> = MessageName<InferMessages<C>>;

/** The payload of message `N` as its handler receives it (the schema's output). */
export type InferPayload<C extends TypedContracts, N extends InferMessageName<C>> = PayloadOf<InferMessages<C>, N>;

/** The payload a sender of message `N` passes (the schema's input: defaults may be left out). */
export type InferPayloadInput<C extends TypedContracts, N extends InferMessageName<C>> = PayloadInputOf<
  InferMessages<C>,
  N
>;

/** The outcome names message `N` may be answered with. */
export type InferOutcome<C extends TypedContracts, N extends InferMessageName<C>> = OutcomeOf<InferMessages<C>, N>;

/** Every reply of message `N`, as a union discriminated on `outcome`. */
export type InferReply<C extends TypedContracts, N extends InferMessageName<C>> = ReplyOf<InferMessages<C>, N>;

/** The final replies of message `N`: what `request()` resolves with. */
export type InferFinalReply<C extends TypedContracts, N extends InferMessageName<C>> = FinalReplyOf<
  InferMessages<C>,
  N
>;

/** The payload of the reply of message `N` with outcome `O`. */
export type InferReplyPayload<
  C extends TypedContracts,
  N extends InferMessageName<C>,
  O extends InferOutcome<C, N>,
> = InferMessages<C>[N]['replies'][O];

/**
 * A handler for message `N`, for handlers written apart from `registerHandler`.
 *
 * @example
 * const createUser: InferHandler<typeof contracts, 'users.create'> = async (user, { reply }) => {
 *   await reply('users.created', { ...user, id: randomUUID() })
 * }
 */
export type InferHandler<C extends TypedContracts, N extends InferMessageName<C>> = MessageHandler<
  InferMessages<C>,
  N,
  ExoRelay<InferMessages<C>>
>;
