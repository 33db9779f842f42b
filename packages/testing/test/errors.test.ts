import { describe, expect, it } from 'vitest';
import {
  DeliveryRejectedError,
  isMockExoComError,
  MockExoComError,
  MockExoComErrorCode,
  MockTimeoutError,
  PendingRepliesError,
  ServiceUnreachableError,
} from '../src/index.js';

const scenarios = [
  [
    new MockTimeoutError("message 'users.created'", 50, ['users.create']),
    'MockTimeoutError',
    'EXOCOM_MOCK_TIMEOUT',
    "timed out after 50 ms waiting for message 'users.created' (received meanwhile: users.create)",
  ],
  [
    new DeliveryRejectedError('users.create', 500, 'boom'),
    'DeliveryRejectedError',
    'EXOCOM_MOCK_DELIVERY_REJECTED',
    "the service refused 'users.create' with status 500: boom",
  ],
  [
    new ServiceUnreachableError('users.create', 'localhost:4000'),
    'ServiceUnreachableError',
    'EXOCOM_MOCK_SERVICE_UNREACHABLE',
    "cannot deliver 'users.create': nothing answers at localhost:4000; is the service listening?",
  ],
  [
    new PendingRepliesError(["'users.created' answering 'users.create' (unread)"]),
    'PendingRepliesError',
    'EXOCOM_MOCK_PENDING_REPLIES',
    "1 reply was not looked at:\n  - 'users.created' answering 'users.create' (unread)",
  ],
] as const;

describe('errors', () => {
  it.each(scenarios)('%o is a %s with code %s', (error, name, code, message) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(MockExoComError);
    expect(isMockExoComError(error)).toBe(true);
    expect({ name: error.name, code: error.code, message: error.message }).toEqual({ name, code, message });
  });

  it('has one class per code', () => {
    expect(new Set(scenarios.map(([, , code]) => code))).toEqual(new Set(Object.values(MockExoComErrorCode)));
  });

  it('recognises errors of another installed copy by their Symbol.for brand', () => {
    const foreign = Object.defineProperties(new Error('from another copy'), {
      [Symbol.for('exocom-mock.error')]: { value: true },
      [Symbol.for('exocom-mock.error.EXOCOM_MOCK_TIMEOUT')]: { value: true },
    });

    expect(foreign).toBeInstanceOf(MockExoComError);
    expect(foreign).toBeInstanceOf(MockTimeoutError);
    expect(foreign).not.toBeInstanceOf(PendingRepliesError);
  });
});
