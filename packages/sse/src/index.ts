export type { AuthorizeHook, FrontendBridgeOptions, PushFilter } from './bridge-options.js';
export {
  AuthorizeFailedError,
  BridgeRequestError,
  isSSEError,
  ReplyFailedError,
  SSEConfigError,
  SSEError,
  SSEErrorCode,
} from './errors.js';
export type { FrontendBridge, NextFunction } from './frontend-bridge.js';
export { createFrontendBridge } from './frontend-bridge.js';
export { pipeToSSE } from './pipe-to-sse.js';
export type { PipeResult } from './reply-events.js';
export { STREAM_FAILED_CODE } from './reply-events.js';
export type { SSEOptions } from './sse-options.js';
export type { SSEResponseOptions } from './to-sse-response.js';
export { toSSEResponse } from './to-sse-response.js';
