export type { RelayContracts, ValidationResult } from './contracts.js';
export {
  AbortedError,
  BufferOverflowError,
  BusUnreachableError,
  ConfigError,
  ContractViolationError,
  ErrorCode,
  ExoComUnreachableError,
  ExoRelayError,
  HandlerError,
  InvalidArgumentError,
  isExoRelayError,
  MessageRejectedError,
  NoRespondersError,
  PortInUseError,
  RelayClosedError,
  RemoteError,
  RepliesLostError,
  ReplyStreamDetachedError,
  TimeoutError,
} from './errors.js';
export type { AuthOf, AuthRegistry, HandlerContext, MessageHandler, ReplyFunction } from './handler-context.js';
export type {
  FinalOutcomeOf,
  FinalReplyOf,
  MessageArguments,
  MessageMap,
  MessageName,
  MessageSpec,
  OutcomeOf,
  PayloadArgument,
  PayloadInputOf,
  PayloadOf,
  ProgressOutcomeOf,
  Reply,
  ReplyOf,
  ReplyPayloadInputOf,
  RequestableName,
  UntypedMessages,
} from './message-types.js';
export type { ListenOptions, RelayEvents, RelayStats, RequestOptions } from './relay.js';
export { ExoRelay } from './relay.js';
export type { RelayOptions, TypedRelayContracts } from './relay-options.js';
export { PROGRESS_WINDOW } from './replier.js';
export type { ReplyStreamOptions } from './reply-stream.js';
export { ReplyStream } from './reply-stream.js';
export type { ReplyCallback, SendOptions } from './send-arguments.js';
export type {
  Delivery,
  HandlerResult,
  ListenInfo,
  SendReceipt,
  Transport,
  TransportContext,
  TransportStatus,
} from './transport.js';
export type { HttpTransportOptions } from './transports/http/index.js';
export { httpTransport } from './transports/http/index.js';
export type { SseTransportOptions } from './transports/sse/index.js';
export { sseTransport } from './transports/sse/index.js';
