export type { AsyncAPIDocument, ToAsyncAPIOptions } from './asyncapi.js';
export { toAsyncAPI } from './asyncapi.js';
export type { ContractDeclarations, MessageDeclaration, ReplySchema } from './declaration.js';
export type { Contracts, MessageContract, ReplyContract } from './define-contracts.js';
export { defineContracts, isContracts } from './define-contracts.js';
export {
  ContractDefinitionError,
  ContractsError,
  ContractsErrorCode,
  isContractsError,
  SchemaExportError,
} from './errors.js';
export type {
  InferFinalReply,
  InferHandler,
  InferMessageName,
  InferMessages,
  InferOutcome,
  InferPayload,
  InferPayloadInput,
  InferReply,
  InferReplyPayload,
  MessagesFromDeclarations,
  TypedContracts,
} from './infer.js';
export type {
  ContractsJSONSchema,
  JSONSchema,
  JSONSchemaTarget,
  MessageJSONSchema,
  ReplyJSONSchema,
  ToJSONSchemaOptions,
} from './json-schema.js';
export { toJSONSchema } from './json-schema.js';
