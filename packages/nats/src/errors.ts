/**
 * Errors the NATS transport raises itself. Each has a stable `code`; match on `err.code` (the
 * `instanceof` checks also hold across two installed copies, thanks to a `Symbol.for` brand).
 * Option mistakes raise exorelay's `ConfigError` and use after `close()` its `RelayClosedError`,
 * so those read the same whichever transport a relay uses.
 */
export const NatsErrorCode = {
  Unreachable: 'EXORELAY_NATS_UNREACHABLE',
  Disconnected: 'EXORELAY_NATS_DISCONNECTED',
  UnroutableReply: 'EXORELAY_NATS_UNROUTABLE_REPLY',
  MalformedMessage: 'EXORELAY_NATS_MALFORMED_MESSAGE',
  ServerError: 'EXORELAY_NATS_SERVER_ERROR',
  JetStreamUnavailable: 'EXORELAY_NATS_JETSTREAM_UNAVAILABLE',
  ConnectionLost: 'EXORELAY_NATS_CONNECTION_LOST',
} as const;
export type NatsErrorCode = (typeof NatsErrorCode)[keyof typeof NatsErrorCode];

const brand = Symbol.for('exorelay.nats.error');

function brandOf(code: NatsErrorCode): symbol {
  return Symbol.for(`exorelay.nats.error.${code}`);
}

function hasBrand(instance: unknown, code: NatsErrorCode): boolean {
  return (
    typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brandOf(code)] === true
  );
}

/** Base class of every error of `@exorelay/nats`. */
export class NatsTransportError extends Error {
  readonly code: NatsErrorCode;

  constructor(code: NatsErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NatsTransportError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, brandOf(code), { value: true });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brand] === true;
  }
}

export function isNatsTransportError(value: unknown): value is NatsTransportError {
  return value instanceof NatsTransportError;
}

/** No NATS server of `servers` accepted a connection; `cause` holds the client's reason. */
export class NatsUnreachableError extends NatsTransportError {
  constructor(
    readonly servers: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      NatsErrorCode.Unreachable,
      `cannot connect to NATS at ${servers.join(', ')}: ${describeCause(options?.cause)}; is nats-server running there?`,
      options,
    );
    this.name = 'NatsUnreachableError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, NatsErrorCode.Unreachable);
  }
}

/**
 * The connection to NATS was lost while a message was being sent, or stayed lost longer than
 * `reconnectWait`. The message may or may not have reached the server; it is not sent twice.
 */
export class NatsDisconnectedError extends NatsTransportError {
  constructor(
    readonly messageName: string,
    options?: ErrorOptions,
  ) {
    super(
      NatsErrorCode.Disconnected,
      `lost the connection to NATS while sending '${messageName}'; the message may not have been delivered`,
      options,
    );
    this.name = 'NatsDisconnectedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, NatsErrorCode.Disconnected);
  }
}

/**
 * A handler replied to a message whose way back is unknown: the message did not arrive over
 * this transport, or its handler stayed silent for longer than `replyRouteTtl`.
 */
export class UnroutableReplyError extends NatsTransportError {
  constructor(
    readonly outcome: string,
    readonly responseTo: string,
    readonly replyRouteTtl: number,
  ) {
    super(
      NatsErrorCode.UnroutableReply,
      `cannot route reply '${outcome}' to ${responseTo}: no message with that id arrived in the last ${replyRouteTtl} ms; raise replyRouteTtl for handlers that stay silent that long`,
    );
    this.name = 'UnroutableReplyError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, NatsErrorCode.UnroutableReply);
  }
}

/** Something published on an ExoRelay subject is not an ExoRelay message; it was dropped. */
export class MalformedMessageError extends NatsTransportError {
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(NatsErrorCode.MalformedMessage, `dropped a malformed message on '${subject}': ${reason}`);
    this.name = 'MalformedMessageError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, NatsErrorCode.MalformedMessage);
  }
}

/** The NATS server reported an error on the connection (a permissions violation, for example). */
export class NatsServerError extends NatsTransportError {
  constructor(
    readonly serverMessage: string,
    options?: ErrorOptions,
  ) {
    super(NatsErrorCode.ServerError, `the NATS server reported: ${serverMessage}`, options);
    this.name = 'NatsServerError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, NatsErrorCode.ServerError);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A message is declared durable, but the NATS server has no JetStream to keep it. */
export class DurabilityUnavailableError extends NatsTransportError {
  constructor(
    readonly messageName: string,
    options?: ErrorOptions,
  ) {
    super(
      NatsErrorCode.JetStreamUnavailable,
      `message '${messageName}' is declared durable, but NATS JetStream is not available (${describeCause(options?.cause)}): start nats-server with -js (or enable jetstream in its configuration)`,
      options,
    );
    this.name = 'DurabilityUnavailableError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, NatsErrorCode.JetStreamUnavailable);
  }
}

/**
 * The connection to NATS stayed lost longer than `reconnectWait`, or the client gave up: the
 * replies to messages sent before cannot be counted on, so their reply streams end with this
 * error instead of waiting for their timeouts. The messages may or may not have been handled.
 */
export class NatsConnectionLostError extends NatsTransportError {
  constructor(
    readonly servers: readonly string[],
    readonly lostForMs: number,
    options?: ErrorOptions,
  ) {
    super(
      NatsErrorCode.ConnectionLost,
      `the connection to NATS at ${servers.join(', ')} has been lost for ${lostForMs} ms: replies to messages sent before may never arrive (the messages may or may not have been handled); raise reconnectWait to wait longer`,
      options,
    );
    this.name = 'NatsConnectionLostError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, NatsErrorCode.ConnectionLost);
  }
}
