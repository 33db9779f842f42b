export type { EndEventData, ErrorEventData, PushedMessage, ReplyEventData } from './bridge-events.js';
export { BridgeEventType } from './bridge-events.js';
export type { SendAcknowledgement, ServiceDeregistration, ServiceRegistration } from './bus-responses.js';
export { BUS_INSTANCE_HEADER, INSTANCE_HEADER, readReceivers } from './bus-responses.js';
export type { DeliveryFailure } from './delivery-failure.js';
export { deliveryFailedReply } from './delivery-failure.js';
export type { Envelope } from './envelope.js';
export { isReply, NamedEnvelope } from './envelope.js';
export type { CodedError, ErrorBrand, ErrorClass, ErrorFamily } from './error-kit.js';
export { defineErrorFamily, isExoRelayError } from './error-kit.js';
export type { EventStreamDeregistration, EventStreamQuery, EventStreamRegistration } from './event-streams.js';
export { EVENTS_PATH, eventStreamPath, parseEventStreamQuery } from './event-streams.js';
export { DEFAULT_BODY_LIMIT } from './limits.js';
export {
  decodeMessageName,
  ERROR_OUTCOME,
  isReservedName,
  RESERVED_PREFIX,
  runPath,
  sendPath,
} from './message-names.js';
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
export type { EnvelopeParseResult } from './parse-envelope.js';
export { parseEnvelope, parseEnvelopeJson } from './parse-envelope.js';
export { senderRequestKey } from './sender-request-key.js';
export type { ErrorReplyPayload } from './wire-errors.js';
export { isErrorReplyPayload, WireErrorCode } from './wire-errors.js';
