export type {
  FinalReplyOf,
  MessageMap,
  MessageName,
  PushedMessage,
  Reply,
  ReplyOf,
  RequestableName,
  UntypedMessages,
} from '@exorelay/protocol';
export type {
  BrowserContracts,
  BrowserRelayOptions,
  BrowserRequestOptions,
  PayloadCheck,
  PushHandler,
} from './browser-relay.js';
export { BrowserRelay, createBrowserRelay } from './browser-relay.js';
export type { BrowserSendOptions } from './browser-reply-stream.js';
export { BrowserReplyStream } from './browser-reply-stream.js';
export {
  AbortedError,
  BridgeConnectionError,
  BrowserErrorCode,
  BrowserRelayError,
  ClientClosedError,
  ContractViolationError,
  InvalidArgumentError,
  isBrowserRelayError,
  NoRespondersError,
  RefusedError,
  RemoteError,
  StreamDetachedError,
  StreamFailedError,
  TimeoutError,
} from './errors.js';
