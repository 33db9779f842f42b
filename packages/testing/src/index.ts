export {
  DeliveryRejectedError,
  isMockExoComError,
  MockExoComError,
  MockExoComErrorCode,
  MockTimeoutError,
  PendingRepliesError,
  ServiceUnreachableError,
} from './errors.js';
export type { MockExoComOptions } from './mock-exocom.js';
export { createMockExoCom, MockExoCom } from './mock-exocom.js';
export type { MockReplyStream } from './mock-reply-stream.js';
export type {
  DeliveryTarget,
  MockReply,
  MockReplyMessage,
  MockSendMessage,
  ReceivedMessage,
  ReceivedPayload,
  ReplyOutcome,
} from './types.js';
