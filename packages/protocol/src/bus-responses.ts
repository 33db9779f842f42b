/**
 * Header a listening relay sends with `POST /send/NAME`: its own `host:port`, as registered. It
 * tells the bus which instance sent a request, so replies go back to that very instance.
 */
export const INSTANCE_HEADER = 'exorelay-instance';

/**
 * Header ExoCom sends with every answer: an id it draws when it starts. A relay that sees it
 * change knows the bus restarted and forgot the way back for replies to everything sent before.
 */
export const BUS_INSTANCE_HEADER = 'exocom-instance';

/** What the bus answers to `POST /send/NAME`. Older buses answer with an empty body. */
export interface SendAcknowledgement {
  /** How many service instances the message was routed to. */
  receivers: number;
}

/** Reads `receivers` from a bus answer; `undefined` when the bus did not say (an older bus). */
export function readReceivers(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const receivers = (body as Record<string, unknown>).receivers;
  return Number.isSafeInteger(receivers) && (receivers as number) >= 0 ? (receivers as number) : undefined;
}

/**
 * Body of `POST /register` (relay → bus): a listening relay announces where it can be reached
 * and which message names it handles. The relay sends it again whenever that list changes.
 */
export interface ServiceRegistration {
  serviceName: string;
  host: string;
  port: number;
  receives: string[];
}

/** Body of `POST /deregister` (relay → bus), sent when a relay closes. */
export interface ServiceDeregistration {
  serviceName: string;
  host: string;
  port: number;
}
