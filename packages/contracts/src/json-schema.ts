import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import type { Contracts } from './define-contracts.js';
import { SchemaExportError } from './errors.js';

/** A JSON Schema document, as plain JSON. */
export type JSONSchema = { [keyword: string]: unknown };

/** The JSON Schema dialects the exporters can write. */
export type JSONSchemaTarget = 'draft-2020-12' | 'draft-07';

/** How `toJSONSchema` writes the schemas: the JSON Schema dialect. */
export interface ToJSONSchemaOptions {
  /**
   * The JSON Schema dialect to write.
   * @default 'draft-2020-12'
   * @example toJSONSchema(contracts, { target: 'draft-07' })
   */
  target?: JSONSchemaTarget;
}

/** One reply outcome of a message, in JSON Schema. */
export interface ReplyJSONSchema {
  /** Whether the reply stream goes on after this outcome. */
  progress: boolean;
  /** Schema of the reply's payload; absent when the reply carries none. */
  payload?: JSONSchema;
}

/** One message, in JSON Schema. */
export interface MessageJSONSchema {
  description?: string;
  durable: boolean;
  /** Schema of the message's payload; absent when the message carries none. */
  payload?: JSONSchema;
  /** Outcome → reply; empty for an event. */
  replies: Record<string, ReplyJSONSchema>;
}

/** What `toJSONSchema` returns: one JSON Schema per message payload and per reply payload. */
export interface ContractsJSONSchema {
  messages: Record<string, MessageJSONSchema>;
}

/**
 * Exports contracts as one JSON Schema per message payload and per reply payload, so services
 * in other languages can validate the same messages. The schemas describe the wire (a schema's
 * input side: fields with defaults are optional). Zod 4 and other validators that implement
 * Standard JSON Schema (`~standard.jsonSchema`) can be exported; others throw a `SchemaExportError`,
 * as do schemas JSON cannot express (dates, functions …).
 *
 * @example
 * const { messages } = toJSONSchema(contracts)
 * writeFileSync('users.create.json', JSON.stringify(messages['users.create'].payload, null, 2))
 */
export function toJSONSchema(contracts: Contracts, options: ToJSONSchemaOptions = {}): ContractsJSONSchema {
  const target = options.target ?? 'draft-2020-12';
  const messages: Record<string, MessageJSONSchema> = {};
  for (const message of contracts.messages) {
    const replies: Record<string, ReplyJSONSchema> = {};
    for (const { outcome, schema, progress } of message.replies) {
      replies[outcome] = {
        progress,
        ...(schema === null ? {} : { payload: schemaToJSONSchema(schema, target, message.name, outcome) }),
      };
    }
    messages[message.name] = {
      ...(message.description === undefined ? {} : { description: message.description }),
      durable: message.durable,
      ...(message.payload === undefined
        ? {}
        : { payload: schemaToJSONSchema(message.payload, target, message.name, undefined) }),
      replies,
    };
  }
  return { messages };
}

/** Converts one schema through Standard JSON Schema, naming the message and outcome when it cannot. */
export function schemaToJSONSchema(
  schema: StandardSchemaV1,
  target: JSONSchemaTarget,
  messageName: string,
  outcome: string | undefined,
): JSONSchema {
  const props = schema['~standard'] as StandardSchemaV1.Props & Partial<StandardJSONSchemaV1.Props>;
  if (props.jsonSchema === undefined) {
    throw new SchemaExportError(
      messageName,
      outcome,
      props.vendor,
      'it does not implement Standard JSON Schema (`~standard.jsonSchema`): declare this message with a validator that does, such as Zod 4 or ArkType, or convert it with its own JSON Schema tool',
    );
  }
  try {
    return props.jsonSchema.input({ target });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SchemaExportError(messageName, outcome, props.vendor, reason, { cause });
  }
}
