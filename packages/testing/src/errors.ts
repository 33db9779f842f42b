import { type CodedError, defineErrorFamily } from '@exorelay/protocol';

/**
 * Every error the testing kit raises is a {@link MockExoComError} with a stable `code`. Match
 * on `err.code`; `instanceof` works across duplicate installs thanks to a `Symbol.for` brand.
 */
export const MockExoComErrorCode = {
  Timeout: 'EXOCOM_MOCK_TIMEOUT',
  DeliveryRejected: 'EXOCOM_MOCK_DELIVERY_REJECTED',
  ServiceUnreachable: 'EXOCOM_MOCK_SERVICE_UNREACHABLE',
  PendingReplies: 'EXOCOM_MOCK_PENDING_REPLIES',
} as const;
export type MockExoComErrorCode = (typeof MockExoComErrorCode)[keyof typeof MockExoComErrorCode];

/** Base class of every error of `@exorelay/testing`. */
export const MockExoComError = defineErrorFamily<MockExoComErrorCode>('exocom-mock.error', 'MockExoComError');
export type MockExoComError = CodedError<MockExoComErrorCode>;

/** Whether `value` is an error of `@exorelay/testing`, from this installed copy or another. */
export const isMockExoComError = MockExoComError.is;

/** A wait ran out of time: `waitUntilReceived`, `waitForService`, or a reply stream without its final reply. */
export class MockTimeoutError extends MockExoComError.withCode(MockExoComErrorCode.Timeout, 'MockTimeoutError') {
  constructor(
    /** What was awaited, e.g. `message 'users.created'`. */
    readonly awaited: string,
    readonly timeoutMs: number,
    /** What had arrived meanwhile, to help see what went wrong. */
    readonly seen: readonly string[] = [],
  ) {
    const meanwhile = seen.length === 0 ? 'nothing arrived' : `received meanwhile: ${seen.join(', ')}`;
    super(`timed out after ${timeoutMs} ms waiting for ${awaited} (${meanwhile})`);
  }
}

/** The service answered the delivery (`POST /run/NAME`) with an error status. */
export class DeliveryRejectedError extends MockExoComError.withCode(
  MockExoComErrorCode.DeliveryRejected,
  'DeliveryRejectedError',
) {
  constructor(
    readonly messageName: string,
    readonly status: number,
    /** The service's plain-text reason. */
    readonly reason: string,
  ) {
    super(`the service refused '${messageName}' with status ${status}: ${reason}`);
  }
}

/** The service could not be reached to deliver a message. */
export class ServiceUnreachableError extends MockExoComError.withCode(
  MockExoComErrorCode.ServiceUnreachable,
  'ServiceUnreachableError',
) {
  constructor(
    readonly messageName: string,
    /** `host:port` that was tried. */
    readonly address: string,
    options?: ErrorOptions,
  ) {
    super(`cannot deliver '${messageName}': nothing answers at ${address}; is the service listening?`, options);
  }
}

/** `assertNoPendingReplies()` found replies nobody looked at. */
export class PendingRepliesError extends MockExoComError.withCode(
  MockExoComErrorCode.PendingReplies,
  'PendingRepliesError',
) {
  constructor(
    /** One line per reply: `'users.created' answering 'users.create' (unread)`. */
    readonly pending: readonly string[],
  ) {
    super(
      `${pending.length} ${pending.length === 1 ? 'reply was' : 'replies were'} not looked at:\n  - ${pending.join('\n  - ')}`,
    );
  }
}
