import { isReservedName, RESERVED_PREFIX } from '@exorelay/protocol';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { TypedRelayContracts, ValidationResult } from 'exorelay';
import type { CheckedDeclarations, ContractDeclarations, MessageDeclaration, ReplySchema } from './declaration.js';
import { ContractDefinitionError } from './errors.js';
import type { MessagesFromDeclarations } from './infer.js';
import { validateAbsent, validateWith } from './validate.js';

/** One declared reply outcome of a message. */
export interface ReplyContract {
  readonly outcome: string;
  /** `null` when the reply carries no payload. */
  readonly schema: ReplySchema;
  /** Whether the stream goes on after this outcome. */
  readonly progress: boolean;
}

/** The run-time view of one message's declaration, for exporters and tools. */
export interface MessageContract {
  readonly name: string;
  /** `undefined` when the message carries no payload. */
  readonly payload: StandardSchemaV1 | undefined;
  /** Empty for an event. */
  readonly replies: readonly ReplyContract[];
  readonly durable: boolean;
  readonly description: string | undefined;
}

interface CompiledMessage extends MessageContract {
  readonly replyByOutcome: ReadonlyMap<string, ReplyContract>;
}

const contractsBrand = Symbol.for('exorelay.contracts');
const declarationKeys: ReadonlySet<string> = new Set(['payload', 'replies', 'progress', 'durable', 'description']);

/**
 * Message contracts: what `defineContracts` returns. Pass it to `new ExoRelay({ contracts })`
 * to type the relay and validate every message and reply; export it with `toJSONSchema` or
 * `toAsyncAPI`. Names it does not declare are neither typed-out nor validated.
 */
export class Contracts<D extends ContractDeclarations = ContractDeclarations>
  implements TypedRelayContracts<MessagesFromDeclarations<D>>
{
  /** Type-level only: the message types the relay infers. Never set at run time. */
  declare readonly '~messages'?: MessagesFromDeclarations<D>;
  /** Every declared message, in declaration order. */
  readonly messages: readonly MessageContract[];
  readonly #byName: ReadonlyMap<string, CompiledMessage>;

  /** @internal Made by `defineContracts`, which also checks the declarations at compile time. */
  constructor(declarations: D) {
    if (typeof declarations !== 'object' || declarations === null || Array.isArray(declarations)) {
      throw new ContractDefinitionError(undefined, 'defineContracts needs an object of message name → declaration');
    }
    const compiled = Object.entries(declarations).map(([name, declaration]) => compileMessage(name, declaration));
    this.messages = compiled;
    this.#byName = new Map(compiled.map((message) => [message.name, message]));
    Object.defineProperty(this, contractsBrand, { value: true });
  }

  /** The declaration of message `name`, or `undefined` when these contracts do not declare it. */
  message(name: string): MessageContract | undefined {
    return this.#byName.get(name);
  }

  /** Checks the payload of message `name`; `undefined` for a name these contracts do not declare. */
  validatePayload(name: string, payload: unknown): ValidationResult | Promise<ValidationResult> | undefined {
    const message = this.#byName.get(name);
    if (message === undefined) return undefined;
    return message.payload === undefined ? validateAbsent(payload) : validateWith(message.payload, payload);
  }

  /**
   * Checks a reply to message `name`. An outcome the message does not declare breaks the
   * contract; the protocol's own replies (`exo.error`) are the relay's business and pass.
   */
  validateReply(
    name: string,
    outcome: string,
    payload: unknown,
  ): ValidationResult | Promise<ValidationResult> | undefined {
    const message = this.#byName.get(name);
    if (message === undefined || isReservedName(outcome)) return undefined;
    const reply = message.replyByOutcome.get(outcome);
    if (reply === undefined) return { ok: false, issues: [undeclaredOutcome(message, outcome)] };
    return reply.schema === null ? validateAbsent(payload) : validateWith(reply.schema, payload);
  }

  /** Whether `outcome` ends the reply stream of `name`; `undefined` when not declared (the wire's `more` decides). */
  isFinal(name: string, outcome: string): boolean | undefined {
    const reply = this.#byName.get(name)?.replyByOutcome.get(outcome);
    return reply === undefined ? undefined : !reply.progress;
  }

  /** Whether message `name` is declared `durable`: transports with durable delivery keep it for absent receivers. */
  isDurable(name: string): boolean {
    return this.#byName.get(name)?.durable ?? false;
  }
}

/**
 * Declares the messages a set of services exchange, once, for both ends: per message name its
 * payload schema, the replies it may get (outcome → payload schema), which of those are
 * progress, and whether it is durable. Schemas are Zod 4 or any Standard Schema v1 validator.
 * Throws a `ContractDefinitionError` for a declaration it cannot use.
 *
 * @example
 * export const contracts = defineContracts({
 *   'users.create': {
 *     payload: z.object({ name: z.string() }),
 *     replies: { 'users.created': z.object({ id: z.string(), name: z.string() }) },
 *   },
 *   'file.copy': {
 *     payload: z.object({ from: z.string(), to: z.string() }),
 *     replies: { 'file.copying': z.object({ percent: z.number() }), 'file.copied': null },
 *     progress: ['file.copying'],
 *   },
 *   'users.deleted': { payload: z.object({ id: z.string() }), durable: true },
 * })
 * const relay = new ExoRelay({ serviceName: 'web', exocomPort: 3100, contracts })
 */
export function defineContracts<const D extends ContractDeclarations>(
  declarations: D & CheckedDeclarations<D>,
): Contracts<D> {
  return new Contracts<D>(declarations);
}

/** Whether `value` is a contracts object made by `defineContracts` (of any installed copy). */
export function isContracts(value: unknown): value is Contracts {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[contractsBrand] === true;
}

function compileMessage(name: string, declaration: MessageDeclaration): CompiledMessage {
  const fail = (problem: string) => new ContractDefinitionError(name, problem);
  if (name === '') throw fail('a message name cannot be empty');
  if (isReservedName(name)) throw fail(`names starting with '${RESERVED_PREFIX}' are reserved for the protocol`);
  if (typeof declaration !== 'object' || declaration === null || Array.isArray(declaration)) {
    throw fail('the declaration must be an object { payload?, replies?, progress?, durable?, description? }');
  }
  for (const key of Object.keys(declaration)) {
    if (!declarationKeys.has(key)) {
      throw fail(`unknown key '${key}'; a declaration has ${[...declarationKeys].join(', ')}`);
    }
  }
  if (declaration.payload !== undefined && !isStandardSchema(declaration.payload)) {
    throw fail('payload must be a Standard Schema v1 validator (a Zod 4, Valibot or ArkType schema …)');
  }
  if (declaration.durable !== undefined && typeof declaration.durable !== 'boolean') {
    throw fail('durable must be true or false');
  }
  if (declaration.description !== undefined && typeof declaration.description !== 'string') {
    throw fail('description must be a string');
  }
  const replies = compileReplies(declaration, fail);
  return {
    name,
    payload: declaration.payload,
    replies,
    replyByOutcome: new Map(replies.map((reply) => [reply.outcome, reply])),
    durable: declaration.durable ?? false,
    description: declaration.description,
  };
}

function compileReplies(declaration: MessageDeclaration, fail: (problem: string) => Error): ReplyContract[] {
  const replies = declaration.replies ?? {};
  if (typeof replies !== 'object' || replies === null || Array.isArray(replies)) {
    throw fail('replies must be an object of outcome → payload schema (or null for no payload)');
  }
  if (!Array.isArray(declaration.progress ?? [])) throw fail('progress must be an array of outcome names');
  const progress = new Set(declaration.progress ?? []);
  for (const outcome of progress) {
    if (!Object.hasOwn(replies, outcome)) throw fail(`progress outcome '${outcome}' is not one of its replies`);
  }
  const compiled = Object.entries(replies).map(([outcome, schema]) => {
    if (outcome === '') throw fail('an outcome name cannot be empty');
    if (isReservedName(outcome)) {
      throw fail(`outcome '${outcome}': names starting with '${RESERVED_PREFIX}' are reserved for the protocol`);
    }
    if (schema !== null && !isStandardSchema(schema)) {
      throw fail(`reply '${outcome}' must be a Standard Schema v1 validator, or null for a reply without payload`);
    }
    return { outcome, schema, progress: progress.has(outcome) };
  });
  if (compiled.length > 0 && compiled.every((reply) => reply.progress)) {
    throw fail('every outcome is progress, so its reply streams could never end: declare at least one final outcome');
  }
  return compiled;
}

function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as Partial<StandardSchemaV1>)['~standard'];
  return typeof props === 'object' && props !== null && props.version === 1 && typeof props.validate === 'function';
}

function undeclaredOutcome(message: CompiledMessage, outcome: string): string {
  if (message.replies.length === 0) return `'${message.name}' is an event: it gets no replies, but got '${outcome}'`;
  const declared = message.replies.map((reply) => `'${reply.outcome}'`).join(', ');
  return `'${outcome}' is not an outcome of '${message.name}'; it declares ${declared}`;
}
