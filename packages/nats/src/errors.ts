import { type CodedError, defineErrorFamily } from '@exorelay/protocol';
import { BusUnreachableError } from 'exorelay';

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
  AuthenticationFailed: 'EXORELAY_NATS_AUTHENTICATION_FAILED',
} as const;
export type NatsErrorCode = (typeof NatsErrorCode)[keyof typeof NatsErrorCode];

/** Base class of every error of `@exorelay/nats`. */
export const NatsTransportError = defineErrorFamily<NatsErrorCode>('exorelay.nats.error', 'NatsTransportError');
export type NatsTransportError = CodedError<NatsErrorCode>;

/** Whether `value` is an error of `@exorelay/nats`, from this installed copy or another. */
export const isNatsTransportError = NatsTransportError.is;

/** No NATS server of `servers` accepted a connection; `cause` holds the client's reason. */
export class NatsUnreachableError extends NatsTransportError.withCode(
  NatsErrorCode.Unreachable,
  'NatsUnreachableError',
  BusUnreachableError,
) {
  /** The servers, without credentials a URL may carry (`nats://***@host:4222`). */
  readonly servers: readonly string[];

  constructor(servers: readonly string[], options?: ErrorOptions) {
    const shown = servers.map(withoutCredentials);
    super(
      `cannot connect to NATS at ${shown.join(', ')}: ${describeCause(options?.cause)}; is nats-server running there?`,
      options,
    );
    this.servers = shown;
  }
}

/**
 * The NATS server refused this relay's credentials (token, user and password, nkey or creds
 * file): it is running, but trying again with the same credentials will not help. Neither the
 * message nor `servers` shows the credentials; `reason` is the server's verdict
 * (`AUTHORIZATION_VIOLATION`, `AUTHENTICATION_EXPIRED` …).
 */
export class NatsAuthenticationError extends NatsTransportError.withCode(
  NatsErrorCode.AuthenticationFailed,
  'NatsAuthenticationError',
  BusUnreachableError,
) {
  /** The servers, without credentials a URL may carry (`nats://***@host:4222`). */
  readonly servers: readonly string[];

  constructor(
    servers: readonly string[],
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    const shown = servers.map(withoutCredentials);
    super(
      `NATS at ${shown.join(', ')} refused this relay's credentials (${reason}): check the token, user and password, or authenticator passed in natsTransport's connection option`,
      options,
    );
    this.servers = shown;
  }
}

/**
 * The connection to NATS was lost while a message was being sent, or stayed lost longer than
 * `reconnectWait`. The message may or may not have reached the server; it is not sent twice.
 */
export class NatsDisconnectedError extends NatsTransportError.withCode(
  NatsErrorCode.Disconnected,
  'NatsDisconnectedError',
  BusUnreachableError,
) {
  constructor(
    readonly messageName: string,
    options?: ErrorOptions,
  ) {
    super(
      `lost the connection to NATS while sending '${messageName}'; the message may not have been delivered`,
      options,
    );
  }
}

/**
 * A handler replied to a message whose way back is unknown: the message did not arrive over
 * this transport, or its handler stayed silent for longer than `replyRouteTtl`.
 */
export class UnroutableReplyError extends NatsTransportError.withCode(
  NatsErrorCode.UnroutableReply,
  'UnroutableReplyError',
) {
  constructor(
    readonly outcome: string,
    readonly responseTo: string,
    readonly replyRouteTtl: number,
  ) {
    super(
      `cannot route reply '${outcome}' to ${responseTo}: no message with that id arrived in the last ${replyRouteTtl} ms; raise replyRouteTtl for handlers that stay silent that long`,
    );
  }
}

/** Something published on an ExoRelay subject is not an ExoRelay message; it was dropped. */
export class MalformedMessageError extends NatsTransportError.withCode(
  NatsErrorCode.MalformedMessage,
  'MalformedMessageError',
) {
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`dropped a malformed message on '${subject}': ${reason}`);
  }
}

/** The NATS server reported an error on the connection (a permissions violation, for example). */
export class NatsServerError extends NatsTransportError.withCode(NatsErrorCode.ServerError, 'NatsServerError') {
  constructor(
    readonly serverMessage: string,
    options?: ErrorOptions,
  ) {
    super(`the NATS server reported: ${serverMessage}`, options);
  }
}

/** A server URL without the user and password it may carry: they must not reach a log. */
export function withoutCredentials(server: string): string {
  return server.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i,
    (_whole, scheme: string | undefined) => `${scheme ?? ''}***@`,
  );
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A message is declared durable, but the NATS server has no JetStream to keep it. */
export class DurabilityUnavailableError extends NatsTransportError.withCode(
  NatsErrorCode.JetStreamUnavailable,
  'DurabilityUnavailableError',
) {
  constructor(
    readonly messageName: string,
    options?: ErrorOptions,
  ) {
    super(
      `message '${messageName}' is declared durable, but NATS JetStream is not available (${describeCause(options?.cause)}): start nats-server with -js (or enable jetstream in its configuration)`,
      options,
    );
  }
}

/**
 * The connection to NATS stayed lost longer than `reconnectWait`, or the client gave up: the
 * replies to messages sent before cannot be counted on, so their reply streams end with this
 * error instead of waiting for their timeouts. The messages may or may not have been handled.
 */
export class NatsConnectionLostError extends NatsTransportError.withCode(
  NatsErrorCode.ConnectionLost,
  'NatsConnectionLostError',
) {
  /** The servers, without credentials a URL may carry (`nats://***@host:4222`). */
  readonly servers: readonly string[];

  constructor(
    servers: readonly string[],
    readonly lostForMs: number,
    options?: ErrorOptions,
  ) {
    const shown = servers.map(withoutCredentials);
    super(
      `the connection to NATS at ${shown.join(', ')} has been lost for ${lostForMs} ms: replies to messages sent before may never arrive (the messages may or may not have been handled); raise reconnectWait to wait longer`,
      options,
    );
    this.servers = shown;
  }
}
