export type { DurableNames } from './durable.js';
export { REPLY_TO_HEADER } from './durable.js';
export {
  DurabilityUnavailableError,
  isNatsTransportError,
  MalformedMessageError,
  NatsAuthenticationError,
  NatsConnectionLostError,
  NatsDisconnectedError,
  NatsErrorCode,
  NatsServerError,
  NatsTransportError,
  NatsUnreachableError,
  UnroutableReplyError,
} from './errors.js';
export type { NatsTransport } from './nats-transport.js';
export { natsTransport } from './nats-transport.js';
export type { NatsTransportOptions } from './options.js';
export { encodeName, messageSubject } from './subjects.js';
export { OUTCOME_FIELD } from './wire.js';
