export type { PushedMessage } from '@exorelay/protocol';
export type { BrowserRelayOptions, BrowserRequestOptions, PushHandler } from './browser-relay.js';
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
