import type { Envelope } from './envelope.js';
import { ERROR_OUTCOME } from './message-names.js';
import { type ErrorReplyPayload, WireErrorCode } from './wire-errors.js';

/** A message that could not reach, or was refused by, the service meant to handle it. */
export interface DeliveryFailure {
  /** The name of the message, as its sender knows it. */
  messageName: string;
  /** The `requestId` of the message: the failure reply answers it. */
  requestId: string;
  /** The service that should have handled it: the reply comes in its name. */
  service: string;
  /** Why, in words a user can act on. */
  reason: string;
  /**
   * How many replies `service` sent to this message before, so the failure is numbered after
   * them: a requester that restores order by `seq` must not drop it as a duplicate.
   */
  seq: number;
  /** Extra facts for `details` (instance, status …); never payloads. */
  details?: Record<string, unknown>;
}

/**
 * The final `exo.error` reply with code `DELIVERY_FAILED` that tells a requester its message
 * will get no other answer. Built here once for the bus and every transport, so a failure reads
 * the same whoever noticed it. `requestId` is the reply's own id.
 */
export function deliveryFailedReply(failure: DeliveryFailure, requestId: string): { name: string; envelope: Envelope } {
  const payload: ErrorReplyPayload = {
    code: WireErrorCode.DeliveryFailed,
    message: `could not deliver '${failure.messageName}' to ${failure.service}: ${failure.reason}`,
    details: { service: failure.service, reason: failure.reason, ...failure.details },
  };
  return {
    name: ERROR_OUTCOME,
    envelope: { sender: failure.service, requestId, responseTo: failure.requestId, seq: failure.seq, payload },
  };
}
