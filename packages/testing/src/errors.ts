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

const brand = Symbol.for('exocom-mock.error');

function brandOf(code: MockExoComErrorCode): symbol {
  return Symbol.for(`exocom-mock.error.${code}`);
}

function hasBrand(instance: unknown, key: symbol): boolean {
  return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[key] === true;
}

/** Base class of every error of `@exorelay/testing`. */
export class MockExoComError extends Error {
  readonly code: MockExoComErrorCode;

  constructor(code: MockExoComErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MockExoComError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, brandOf(code), { value: true });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brand);
  }
}

/** A wait ran out of time: `waitUntilReceived`, `waitForService`, or a reply stream without its final reply. */
export class MockTimeoutError extends MockExoComError {
  constructor(
    /** What was awaited, e.g. `message 'users.created'`. */
    readonly awaited: string,
    readonly timeoutMs: number,
    /** What had arrived meanwhile, to help see what went wrong. */
    readonly seen: readonly string[] = [],
  ) {
    const meanwhile = seen.length === 0 ? 'nothing arrived' : `received meanwhile: ${seen.join(', ')}`;
    super(MockExoComErrorCode.Timeout, `timed out after ${timeoutMs} ms waiting for ${awaited} (${meanwhile})`);
    this.name = 'MockTimeoutError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(MockExoComErrorCode.Timeout));
  }
}

/** The service answered the delivery (`POST /run/NAME`) with an error status. */
export class DeliveryRejectedError extends MockExoComError {
  constructor(
    readonly messageName: string,
    readonly status: number,
    /** The service's plain-text reason. */
    readonly reason: string,
  ) {
    super(
      MockExoComErrorCode.DeliveryRejected,
      `the service refused '${messageName}' with status ${status}: ${reason}`,
    );
    this.name = 'DeliveryRejectedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(MockExoComErrorCode.DeliveryRejected));
  }
}

/** The service could not be reached to deliver a message. */
export class ServiceUnreachableError extends MockExoComError {
  constructor(
    readonly messageName: string,
    /** `host:port` that was tried. */
    readonly address: string,
    options?: ErrorOptions,
  ) {
    super(
      MockExoComErrorCode.ServiceUnreachable,
      `cannot deliver '${messageName}': nothing answers at ${address}; is the service listening?`,
      options,
    );
    this.name = 'ServiceUnreachableError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(MockExoComErrorCode.ServiceUnreachable));
  }
}

/** `assertNoPendingReplies()` found replies nobody looked at. */
export class PendingRepliesError extends MockExoComError {
  constructor(
    /** One line per reply: `'users.created' answering 'users.create' (unread)`. */
    readonly pending: readonly string[],
  ) {
    super(
      MockExoComErrorCode.PendingReplies,
      `${pending.length} ${pending.length === 1 ? 'reply was' : 'replies were'} not looked at:\n  - ${pending.join('\n  - ')}`,
    );
    this.name = 'PendingRepliesError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, brandOf(MockExoComErrorCode.PendingReplies));
  }
}

export function isMockExoComError(value: unknown): value is MockExoComError {
  return value instanceof MockExoComError;
}
