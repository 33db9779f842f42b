/** Codes carried in the payload of an `exo.error` reply. Stable: peers match on them. */
export const WireErrorCode = {
  /** The receiving handler threw or rejected. */
  HandlerFailed: 'HANDLER_FAILED',
  /** The message did not satisfy the receiver's contract. */
  InvalidPayload: 'INVALID_PAYLOAD',
  /** The bus could not deliver the message to a receiver. */
  DeliveryFailed: 'DELIVERY_FAILED',
} as const;
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

/** Payload of an `exo.error` reply. `code` is usually a {@link WireErrorCode}; peers may send their own. */
export interface ErrorReplyPayload {
  code: string;
  message: string;
  details?: unknown;
}

/** Whether `value` is the payload of an `exo.error` reply: `{ code, message, details? }`. */
export function isErrorReplyPayload(value: unknown): value is ErrorReplyPayload {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return typeof fields.code === 'string' && typeof fields.message === 'string';
}
