/**
 * The Server-Sent Events of the frontend bridge (`@exorelay/sse`) and of `pipeToSSE`, as the
 * browser client (`@exorelay/browser`) reads them. Every event's `data:` is one JSON object.
 */
export const BridgeEventType = {
  /** One reply of a forwarded reply stream; `data` is a {@link ReplyEventData}. */
  Reply: 'reply',
  /** The reply stream ended normally; `data` is an {@link EndEventData}. */
  End: 'end',
  /** The reply stream failed; `data` is an {@link ErrorEventData}. Nothing follows. */
  Error: 'error',
  /** A message pushed on the bridge's event stream; `data` is a {@link PushedMessage}. */
  Message: 'message',
} as const;
export type BridgeEventType = (typeof BridgeEventType)[keyof typeof BridgeEventType];

/** The `data` of a `reply` event: one reply, as the requesting relay gave it. */
export interface ReplyEventData {
  /** The reply's message name: what happened. */
  outcome: string;
  payload: unknown;
  /** This reply's own id. */
  requestId: string;
  /** The id of the message it answers. */
  responseTo: string;
  /** The service that replied, when the bus says. */
  sender: string | undefined;
  /** `false` for progress and chunk replies. */
  final: boolean;
}

/** The `data` of an `end` event. */
export interface EndEventData {
  /** How many `reply` events came before it. */
  replies: number;
}

/** The `data` of an `error` event: why the reply stream failed. */
export interface ErrorEventData {
  /** The relay error's stable code (`EXORELAY_REMOTE`, `EXORELAY_TIMEOUT`, `EXORELAY_NO_RESPONDERS` …). */
  code: string;
  message: string;
  /** For `EXORELAY_REMOTE`: the wire code of the `exo.error` reply (`HANDLER_FAILED` …). */
  remoteCode?: string;
  /** For a contract violation, `{ issues }`. A remote failure's text and details stay on the server. */
  details?: unknown;
  /** Names the failure in the server's logs, where its full text is: quote it when reporting a problem. */
  correlationId?: string;
}

/** The `data` of a `message` event on the bridge's event stream: a message pushed to browsers. */
export interface PushedMessage {
  name: string;
  payload: unknown;
  requestId: string;
  /** The service that sent it. */
  sender: string | undefined;
}
