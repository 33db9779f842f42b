import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * The schema of one reply outcome: any Standard Schema v1 validator (Zod 4, Valibot, ArkType …),
 * or `null` for a reply that carries no payload.
 */
export type ReplySchema = StandardSchemaV1 | null;

/** What one message name promises: its payload, the replies it may get, and how they flow. */
export interface MessageDeclaration {
  /**
   * Schema of the message's payload. Leave it out for a message that carries no payload.
   * @example payload: z.object({ name: z.string() })
   */
  payload?: StandardSchemaV1;
  /**
   * Outcome → payload schema of every reply this message may get. Leave it out for an event,
   * a message nobody answers.
   * @example replies: { 'users.created': z.object({ id: z.string() }), 'users.invalid': null }
   */
  replies?: Record<string, ReplySchema>;
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
 * Compile-time checks `defineContracts` adds to its argument: no `exo.` names or outcomes, only
 * known keys, and progress outcomes that are declared replies. Other values are checked by the
 * `ContractDeclarations` constraint (checking them here again costs deep validator types dearly).
 */
export type CheckedDeclarations<D extends ContractDeclarations> = {
  [N in keyof D]: N extends `exo.${string}`
    ? 'Error: message names starting with exo. are reserved for the protocol'
    : {
        [Key in keyof D[N]]: Key extends 'progress'
          ? readonly OutcomesDeclaredIn<D[N]>[]
          : Key extends 'replies'
            ? { [O in keyof D[N][Key]]: O extends `exo.${string}` ? never : D[N][Key][O] }
            : Key extends keyof MessageDeclaration
              ? D[N][Key]
              : never;
      };
};
