import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * The schema of one reply outcome: any Standard Schema v1 validator (Zod 4, Valibot, ArkType …),
 * or `null` for a reply that carries no payload.
 */
export type ReplySchema = StandardSchemaV1 | null;

/**
 * A schema as a declaration's type sees it: anything with a `~standard` key, of any type.
 * Relating a schema to anything about that property's type, even `{ version: 1 }`, makes the
 * compiler work out the type, and Zod spells it with the schema's input and output types: that
 * worked out both for every schema of a contracts module where it is declared, used or not, the
 * largest part of its check time (docs/performance.md). Against `unknown` the compiler checks
 * that the key is there and looks no further. `defineContracts` checks at run time that each
 * schema can validate.
 */
export interface DeclaredSchema {
  readonly '~standard': unknown;
}

/** What one message name promises: its payload, the replies it may get, and how they flow. */
export interface MessageDeclaration {
  /**
   * Schema of the message's payload. Leave it out for a message that carries no payload.
   * @example payload: z.object({ name: z.string() })
   */
  payload?: DeclaredSchema;
  /**
   * Outcome → payload schema of every reply this message may get. Leave it out for an event,
   * a message nobody answers.
   * @example replies: { 'users.created': z.object({ id: z.string() }), 'users.invalid': null }
   */
  replies?: Record<string, DeclaredSchema | null>;
  /**
   * The outcomes that are progress or stream chunks: the reply stream goes on after them. Every
   * other outcome is final. The requester's contract decides, whatever the replier's `more` flag says.
   * @default []
   * @example progress: ['file.copying']
   */
  progress?: readonly string[];
  /**
   * Keep this message for a receiver that is down (JetStream on NATS), instead of dropping it.
   * Transports without durable delivery ignore it.
   * @default false
   */
  durable?: boolean;
  /** What the message means; goes into the AsyncAPI document. */
  description?: string;
}

/** Message name → declaration. Names starting with `exo.` belong to the protocol. */
export type ContractDeclarations = Record<string, MessageDeclaration>;

type OutcomesDeclaredIn<Declaration> = Declaration extends { replies?: infer Replies }
  ? keyof NonNullable<Replies> & string
  : never;

/**
 * Whether a declaration has none of the problems `CheckedDeclarations` names. One relation per
 * question, not a union of the offending keys built by distributing over them: for a sound
 * declaration, which most are, that is all the checking costs.
 */
type IsSound<Declaration> = keyof Declaration extends keyof MessageDeclaration
  ? [OutcomesDeclaredIn<Declaration> & `exo.${string}`] extends [never]
    ? Declaration extends { progress: readonly (infer Outcome)[] }
      ? [Outcome] extends [OutcomesDeclaredIn<Declaration>]
        ? true
        : false
      : true
    : false
  : false;

/**
 * Compile-time checks `defineContracts` adds to its argument: no `exo.` names or outcomes, only
 * known keys, and progress outcomes that are declared replies. A sound declaration maps to
 * `unknown`, so checking it costs a few key lookups, never a comparison of its schemas; only a
 * declaration with a problem is spelled out, so that the error names the key at fault. Other
 * values are checked by the `ContractDeclarations` constraint.
 */
export type CheckedDeclarations<D extends ContractDeclarations> = {
  [N in keyof D]: N extends `exo.${string}`
    ? 'Error: message names starting with exo. are reserved for the protocol'
    : IsSound<D[N]> extends true
      ? unknown
      : CheckedDeclaration<D[N]>;
};

type CheckedDeclaration<Declaration> = {
  [Key in keyof Declaration]: Key extends 'progress'
    ? readonly OutcomesDeclaredIn<Declaration>[]
    : Key extends 'replies'
      ? {
          [O in keyof Declaration[Key]]: O extends `exo.${string}`
            ? 'Error: outcome names starting with exo. are reserved for the protocol'
            : Declaration[Key][O];
        }
      : Key extends keyof MessageDeclaration
        ? Declaration[Key]
        : // Written out, not as an alias, so the message shows the text. An object whose only key is
          // the message: a string literal would make the whole declaration `never` and every key fail.
          {
            readonly [Problem in `'${Key & string}' is not a declaration key; use payload, replies, progress, durable or description`]: never;
          };
};
