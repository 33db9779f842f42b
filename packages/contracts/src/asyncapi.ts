import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Contracts, MessageContract, ReplyContract } from './define-contracts.js';
import { type JSONSchema, schemaToJSONSchema } from './json-schema.js';
import { isPromiseLike } from './validate.js';

/** How `toAsyncAPI` describes the API: its title and version. */
export interface ToAsyncAPIOptions {
  /**
   * Title of the described API.
   * @default 'ExoRelay messages'
   */
  title?: string;
  /**
   * Version of the described API (not of AsyncAPI).
   * @default '1.0.0'
   * @example toAsyncAPI(contracts, { title: 'Accounting', version: '2.3.0' })
   */
  version?: string;
  /** A description of the API, in CommonMark. */
  description?: string;
}

/** An AsyncAPI 3.0 document, as plain JSON. */
export interface AsyncAPIDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description?: string };
  defaultContentType: 'application/json';
  channels: Record<string, JSONObject>;
  operations: Record<string, JSONObject>;
  components: {
    messages: Record<string, JSONObject>;
    schemas: Record<string, JSONSchema>;
    correlationIds: Record<string, JSONObject>;
  };
}

type JSONObject = { [key: string]: unknown };

/** Made anew for each document, so that editing one document cannot change the next. */
const correlationIds = () => ({
  requestId: {
    description: 'Unique id of the message; its replies carry it as `responseTo`.',
    location: '$message.payload#/requestId',
  },
  responseTo: {
    description: 'The `requestId` of the message this reply answers.',
    location: '$message.payload#/responseTo',
  },
});

/**
 * Describes contracts as an AsyncAPI 3.0 document, from the side of the services that handle
 * the messages: one `receive` operation per message, whose `reply` lists the outcomes. Each
 * message travels on the channel of its name inside the ExoRelay envelope (`sender`,
 * `requestId`, `payload`); replies travel under their outcome's name with `responseTo`, `seq`
 * and, for progress outcomes, `more: true`. Durable messages carry `x-exorelay-durable`.
 * Throws a `SchemaExportError` for a schema JSON Schema cannot express.
 *
 * @example
 * writeFileSync('asyncapi.json', JSON.stringify(toAsyncAPI(contracts, { title: 'Bank' }), null, 2))
 */
export function toAsyncAPI(contracts: Contracts, options: ToAsyncAPIOptions = {}): AsyncAPIDocument {
  const builder = new AsyncAPIBuilder({
    title: options.title ?? 'ExoRelay messages',
    version: options.version ?? '1.0.0',
    ...(options.description === undefined ? {} : { description: options.description }),
  });
  for (const message of contracts.messages) builder.addMessage(message);
  return builder.document;
}

class AsyncAPIBuilder {
  readonly document: AsyncAPIDocument;
  readonly #channelIds = new IdAllocator();
  readonly #messageIds = new IdAllocator();

  constructor(info: AsyncAPIDocument['info']) {
    this.document = {
      asyncapi: '3.0.0',
      info,
      defaultContentType: 'application/json',
      channels: {},
      operations: {},
      components: { messages: {}, schemas: {}, correlationIds: correlationIds() },
    };
  }

  addMessage(message: MessageContract): void {
    const channelId = this.#channelIds.allocate(message.name);
    const messageId = this.#messageIds.allocate(message.name);
    const about = message.description === undefined ? {} : { description: message.description };
    this.document.components.messages[messageId] = {
      name: message.name,
      ...about,
      correlationId: { $ref: '#/components/correlationIds/requestId' },
      payload: this.#envelope(messageId, message.payload, { messageName: message.name, outcome: undefined }, {}),
    };
    this.document.channels[channelId] = {
      address: message.name,
      ...about,
      messages: { [messageId]: { $ref: `#/components/messages/${messageId}` } },
      ...(message.durable ? { 'x-exorelay-durable': true } : {}),
    };
    this.document.operations[channelId] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channelId}` },
      messages: [{ $ref: `#/channels/${channelId}/messages/${messageId}` }],
      ...(message.replies.length === 0 ? {} : { reply: this.#addReplies(message) }),
    };
  }

  /** Replies to one message share a channel whose address is a parameter: the outcome. */
  #addReplies(message: MessageContract): JSONObject {
    const channelId = this.#channelIds.allocate(`${message.name} replies`);
    const messages: Record<string, { $ref: string }> = {};
    for (const reply of message.replies) {
      const messageId = this.#messageIds.allocate(`${message.name} ${reply.outcome}`);
      this.document.components.messages[messageId] = this.#reply(message.name, reply, messageId);
      messages[messageId] = { $ref: `#/components/messages/${messageId}` };
    }
    this.document.channels[channelId] = {
      address: '{outcome}',
      description: `Replies to '${message.name}'. Each travels under its outcome's name and reaches the sender by \`responseTo\`.`,
      parameters: {
        outcome: { enum: message.replies.map((reply) => reply.outcome), description: 'The outcome: what happened.' },
      },
      messages,
    };
    return {
      channel: { $ref: `#/channels/${channelId}` },
      messages: Object.keys(messages).map((messageId) => ({ $ref: `#/channels/${channelId}/messages/${messageId}` })),
    };
  }

  #reply(messageName: string, reply: ReplyContract, messageId: string): JSONObject {
    const kind = reply.progress ? 'Progress reply' : 'Final reply';
    const fields: Record<string, JSONObject> = {
      responseTo: { type: 'string', description: 'The `requestId` of the message this reply answers.' },
      seq: { type: 'integer', minimum: 0, description: '0, 1, 2 … per answered message, to restore their order.' },
      ...(reply.progress ? { more: { const: true, description: 'More replies follow.' } } : {}),
    };
    return {
      name: reply.outcome,
      summary: `${kind} '${reply.outcome}' to '${messageName}'.`,
      correlationId: { $ref: '#/components/correlationIds/responseTo' },
      payload: this.#envelope(messageId, reply.schema ?? undefined, { messageName, outcome: reply.outcome }, fields),
      'x-exorelay-progress': reply.progress,
    };
  }

  /**
   * The ExoRelay envelope around a payload. The payload's own schema goes to
   * `components.schemas` under the message's id, so tools can name it.
   */
  #envelope(
    schemaId: string,
    schema: StandardSchemaV1 | undefined,
    source: { messageName: string; outcome: string | undefined },
    replyFields: Record<string, JSONObject>,
  ): JSONSchema {
    const required = ['requestId', ...('responseTo' in replyFields ? ['responseTo'] : [])];
    const properties: Record<string, JSONObject> = {
      sender: { type: 'string', description: 'Name of the sending service.' },
      requestId: { type: 'string', description: 'Unique id of this message.' },
      ...replyFields,
    };
    if (schema !== undefined) {
      const location = `#/components/schemas/${schemaId}`;
      const { $schema: _dialect, ...exported } = schemaToJSONSchema(
        schema,
        'draft-07',
        source.messageName,
        source.outcome,
      );
      this.document.components.schemas[schemaId] = rebaseRefs(exported, location) as JSONSchema;
      properties.payload = { $ref: location };
      if (!acceptsUndefined(schema)) required.push('payload');
    }
    return { type: 'object', required, properties };
  }
}

/** Rewrites document-local `$ref`s (`#`, `#/definitions/…`) of a schema that now lives at `location`. */
function rebaseRefs(value: unknown, location: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rebaseRefs(item, location));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' && inner.startsWith('#')
        ? `${location}${inner.slice(1)}`
        : rebaseRefs(inner, location),
    ]),
  );
}

/** Whether the payload may be left out: the key is absent on the wire when it is `undefined`. */
function acceptsUndefined(schema: StandardSchemaV1): boolean {
  const result = schema['~standard'].validate(undefined);
  return !isPromiseLike(result) && result.issues === undefined;
}

/** AsyncAPI keys allow `[A-Za-z0-9._-]`; message names may hold spaces, so ids are derived and kept unique. */
class IdAllocator {
  readonly #taken = new Set<string>();

  allocate(name: string): string {
    const base = name.replace(/[^A-Za-z0-9._-]/g, '_');
    let id = base;
    for (let n = 2; this.#taken.has(id); n += 1) id = `${base}_${n}`;
    this.#taken.add(id);
    return id;
  }
}
