/**
 * The JSON body of `POST /send/NAME` (relay → bus) and `POST /run/NAME` (bus → relay).
 * NATS and SSE carry the same object. Unknown fields pass through untouched, so a newer
 * peer's additions survive an older bus.
 */
export interface Envelope {
  /** Name of the sending service; the bus sets it for browser clients. */
  sender?: string;
  /** Unique id of this message: an opaque string (ExoRelay: a random per-process prefix and a counter; 2016 peers: a UUID). */
  requestId: string;
  /** Any JSON value; the key is absent when the payload is `undefined`. */
  payload?: unknown;
  /** The `requestId` this message answers: it makes the message a reply whose name is its outcome. */
  responseTo?: string;
  /** `true` on progress and chunk replies; absent on a final reply. */
  more?: true;
  /** 0, 1, 2 … per answered request, set by the replier so the requester can restore order. */
  seq?: number;
  /**
   * `true` when nobody reads this message's replies (a fire-and-forget send): the bus and the
   * transports keep no way back for it, and receivers send no replies to it.
   */
  oneWay?: true;
  /**
   * W3C trace context of the span that sent this message (`00-TRACEID-SPANID-FLAGS`), set by a
   * relay that traces with OpenTelemetry; the bus forwards it untouched.
   */
  traceparent?: string;
  /** W3C vendor trace state that goes with `traceparent`; forwarded untouched. */
  tracestate?: string;
  /**
   * Who the sender acts for (a signed-in user), as the sending service vouches: the frontend
   * bridge sets it from what `authorize` returned, never from the browser's body. The bus
   * forwards it untouched; trust it as far as you trust `sender`.
   */
  auth?: unknown;
  [extension: string]: unknown;
}

/**
 * An envelope together with the message name it travels under (the NAME of `/send/NAME`).
 *
 * A class rather than an object literal, for V8's sake: a relay holds a message's
 * `NamedEnvelope` while its handler runs, so under load many outlive a minor GC. V8 then
 * allocates every object of that literal straight into the old generation (allocation-site
 * pretenuring), where each one, long dead, keeps its young envelope and payload alive through
 * every minor GC until the next full one. Objects made with `new` have no allocation site.
 * A NATS responder at 16 callers promoted 300 bytes per message with the literal, 60 with this.
 */
export class NamedEnvelope {
  constructor(
    readonly name: string,
    readonly envelope: Envelope,
  ) {}
}

/** Whether an envelope answers an earlier message. */
export function isReply(envelope: Envelope): envelope is Envelope & { responseTo: string } {
  return typeof envelope.responseTo === 'string';
}
