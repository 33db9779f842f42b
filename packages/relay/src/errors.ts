import { type CodedError, defineErrorFamily } from '@exorelay/protocol';

export { isExoRelayError } from '@exorelay/protocol';

/**
 * Every error ExoRelay raises is an {@link ExoRelayError} with a stable `code`. Match on
 * `err.code` (or the `instanceof` checks, which work across duplicate installs thanks to a
 * `Symbol.for` brand); the message text is for humans and may improve over time.
 */
export const ErrorCode = {
  Config: 'EXORELAY_CONFIG',
  InvalidArgument: 'EXORELAY_INVALID_ARGUMENT',
  PortInUse: 'EXORELAY_PORT_IN_USE',
  Timeout: 'EXORELAY_TIMEOUT',
  Aborted: 'EXORELAY_ABORTED',
  Remote: 'EXORELAY_REMOTE',
  NoResponders: 'EXORELAY_NO_RESPONDERS',
  ExoComUnreachable: 'EXORELAY_EXOCOM_UNREACHABLE',
  MessageRejected: 'EXORELAY_MESSAGE_REJECTED',
  RelayClosed: 'EXORELAY_CLOSED',
  HandlerFailed: 'EXORELAY_HANDLER_FAILED',
  ContractViolation: 'EXORELAY_CONTRACT_VIOLATION',
  BufferOverflow: 'EXORELAY_BUFFER_OVERFLOW',
  StreamDetached: 'EXORELAY_STREAM_DETACHED',
  RepliesLost: 'EXORELAY_REPLIES_LOST',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every `exorelay` error. */
export const ExoRelayError = defineErrorFamily<ErrorCode>('exorelay.error', 'ExoRelayError');
export type ExoRelayError = CodedError<ErrorCode>;

/**
 * The bus could not be reached, whichever transport carries it: `code` says which one
 * (`EXORELAY_EXOCOM_UNREACHABLE`, `EXORELAY_NATS_UNREACHABLE`, `EXORELAY_NATS_DISCONNECTED`).
 * Transports join this family with their own unreachable errors.
 */
export const BusUnreachableError = defineErrorFamily<string>('exorelay.bus-unreachable.error', 'BusUnreachableError');
export type BusUnreachableError = CodedError;

/** The relay was constructed or started with options it cannot work with. */
export class ConfigError extends ExoRelayError.withCode(ErrorCode.Config, 'ConfigError') {}

/** A method was called with arguments it cannot accept (an empty message name, a function as payload…). */
export class InvalidArgumentError extends ExoRelayError.withCode(ErrorCode.InvalidArgument, 'InvalidArgumentError') {}

/** `listen(port)` found the port taken by another process. */
export class PortInUseError extends ExoRelayError.withCode(ErrorCode.PortInUse, 'PortInUseError') {
  constructor(
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(`port ${port} is already in use`, options);
  }
}

/** No (final) reply arrived in time. */
export class TimeoutError extends ExoRelayError.withCode(ErrorCode.Timeout, 'TimeoutError') {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    readonly timeoutMs: number,
    readonly kind: 'total' | 'idle' = 'total',
  ) {
    const what = kind === 'idle' ? `no reply for ${timeoutMs} ms` : `no final reply within ${timeoutMs} ms`;
    super(`message '${messageName}' (${requestId}) timed out: ${what}`);
  }
}

/** The caller's `AbortSignal` fired; `cause` holds the signal's reason. */
export class AbortedError extends ExoRelayError.withCode(ErrorCode.Aborted, 'AbortedError') {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    options?: ErrorOptions,
  ) {
    super(`message '${messageName}' (${requestId}) was aborted`, options);
  }
}

/** The receiving side answered with an `exo.error` reply: its handler failed, or the message broke its contract. */
export class RemoteError extends ExoRelayError.withCode(ErrorCode.Remote, 'RemoteError') {
  constructor(
    /** The wire code, e.g. `HANDLER_FAILED`, `INVALID_PAYLOAD`, `DELIVERY_FAILED`. */
    readonly remoteCode: string,
    readonly remoteMessage: string,
    readonly messageName: string,
    readonly requestId: string,
    readonly details?: unknown,
  ) {
    super(`message '${messageName}' failed remotely (${remoteCode}): ${remoteMessage}`);
  }
}

/** The bus routed the message to nobody, so no reply can ever come. */
export class NoRespondersError extends ExoRelayError.withCode(ErrorCode.NoResponders, 'NoRespondersError') {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
  ) {
    super(`no service receives message '${messageName}'`);
  }
}

/** The bus could not be reached, even after retrying. */
export class ExoComUnreachableError extends ExoRelayError.withCode(
  ErrorCode.ExoComUnreachable,
  'ExoComUnreachableError',
  BusUnreachableError,
) {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly messageName: string,
    options?: ErrorOptions,
  ) {
    super(`cannot reach ExoCom at ${host}:${port} to send '${messageName}': is the bus running?`, options);
  }
}

/** The bus answered the message with an error status. */
export class MessageRejectedError extends ExoRelayError.withCode(ErrorCode.MessageRejected, 'MessageRejectedError') {
  constructor(
    readonly messageName: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super(`the bus refused message '${messageName}' with status ${status}: ${reason}`);
  }
}

/** The relay was closed while the operation was open, or used after `close()`. */
export class RelayClosedError extends ExoRelayError.withCode(ErrorCode.RelayClosed, 'RelayClosedError') {
  constructor(message = 'the relay is closed') {
    super(message);
  }
}

/** A registered handler threw or rejected; `cause` holds what it threw. The sender got an `exo.error` reply. */
export class HandlerError extends ExoRelayError.withCode(ErrorCode.HandlerFailed, 'HandlerError') {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    options: ErrorOptions,
  ) {
    super(`the handler for '${messageName}' failed: ${describeCause(options.cause)}`, options);
  }
}

/** A payload or reply does not satisfy the message's contract. */
export class ContractViolationError extends ExoRelayError.withCode(
  ErrorCode.ContractViolation,
  'ContractViolationError',
) {
  constructor(
    readonly messageName: string,
    /** Which way the message was going and what it was. */
    readonly direction: 'outgoing' | 'incoming',
    /** Readable schema issues, one per entry. */
    readonly issues: readonly string[],
    readonly outcome?: string,
  ) {
    const subject = outcome === undefined ? `payload of '${messageName}'` : `reply '${outcome}' to '${messageName}'`;
    super(`${direction} ${subject} breaks its contract:\n  - ${issues.join('\n  - ')}`);
  }
}

/** More replies arrived than a stream may buffer while its consumer is not reading. */
export class BufferOverflowError extends ExoRelayError.withCode(ErrorCode.BufferOverflow, 'BufferOverflowError') {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    readonly limit: number,
  ) {
    super(
      `the reply stream of '${messageName}' (${requestId}) buffered more than ${limit} unread replies: read it faster or raise maxBufferedReplies`,
    );
  }
}

/** A reply stream was iterated after the relay had dropped it for not being read in the tick it was created. */
export class ReplyStreamDetachedError extends ExoRelayError.withCode(
  ErrorCode.StreamDetached,
  'ReplyStreamDetachedError',
) {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
  ) {
    super(
      `the reply stream of '${messageName}' (${requestId}) was not read in the tick it was created, so its replies were not kept: start iterating it right away, or pass { onReply } or { keepReplies: true } to send()`,
    );
  }
}

/**
 * The bus that carried a message died or restarted before every reply came back: it forgot the
 * way back, so the replies cannot arrive. The message may or may not have been handled.
 */
export class RepliesLostError extends ExoRelayError.withCode(ErrorCode.RepliesLost, 'RepliesLostError') {
  constructor(
    readonly busAddress: string,
    readonly reason: 'unreachable' | 'restarted',
    options?: ErrorOptions,
  ) {
    super(
      reason === 'restarted'
        ? `the bus at ${busAddress} restarted and forgot where replies go: replies to messages sent before cannot arrive (they may or may not have been handled)`
        : `the bus at ${busAddress} cannot be reached: replies to messages sent through it cannot arrive (they may or may not have been handled)`,
      options,
    );
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
