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

const brand = Symbol.for('exorelay.error');

function brandOf(code: ErrorCode): symbol {
  return Symbol.for(`exorelay.error.${code}`);
}

/** Base class of every ExoRelay error. */
export class ExoRelayError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExoRelayError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, brandOf(code), { value: true });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brand] === true;
  }
}

/** Makes `instanceof Subclass` test the code brand, so it holds across two installed copies of `exorelay`. */
function hasBrand(instance: unknown, code: ErrorCode): boolean {
  return (
    typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brandOf(code)] === true
  );
}

export function isExoRelayError(value: unknown): value is ExoRelayError {
  return value instanceof ExoRelayError;
}

/** The relay was constructed or started with options it cannot work with. */
export class ConfigError extends ExoRelayError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.Config, message, options);
    this.name = 'ConfigError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.Config);
  }
}

/** A method was called with arguments it cannot accept (an empty message name, a function as payload…). */
export class InvalidArgumentError extends ExoRelayError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.InvalidArgument, message, options);
    this.name = 'InvalidArgumentError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.InvalidArgument);
  }
}

/** `listen(port)` found the port taken by another process. */
export class PortInUseError extends ExoRelayError {
  constructor(
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(ErrorCode.PortInUse, `port ${port} is already in use`, options);
    this.name = 'PortInUseError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.PortInUse);
  }
}

/** No (final) reply arrived in time. */
export class TimeoutError extends ExoRelayError {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    readonly timeoutMs: number,
    readonly kind: 'total' | 'idle' = 'total',
  ) {
    const what = kind === 'idle' ? `no reply for ${timeoutMs} ms` : `no final reply within ${timeoutMs} ms`;
    super(ErrorCode.Timeout, `message '${messageName}' (${requestId}) timed out: ${what}`);
    this.name = 'TimeoutError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.Timeout);
  }
}

/** The caller's `AbortSignal` fired; `cause` holds the signal's reason. */
export class AbortedError extends ExoRelayError {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    options?: ErrorOptions,
  ) {
    super(ErrorCode.Aborted, `message '${messageName}' (${requestId}) was aborted`, options);
    this.name = 'AbortedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.Aborted);
  }
}

/** The receiving side answered with an `exo.error` reply: its handler failed, or the message broke its contract. */
export class RemoteError extends ExoRelayError {
  constructor(
    /** The wire code, e.g. `HANDLER_FAILED`, `INVALID_PAYLOAD`, `DELIVERY_FAILED`. */
    readonly remoteCode: string,
    readonly remoteMessage: string,
    readonly messageName: string,
    readonly requestId: string,
    readonly details?: unknown,
  ) {
    super(ErrorCode.Remote, `message '${messageName}' failed remotely (${remoteCode}): ${remoteMessage}`);
    this.name = 'RemoteError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.Remote);
  }
}

/** The bus routed the message to nobody, so no reply can ever come. */
export class NoRespondersError extends ExoRelayError {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
  ) {
    super(ErrorCode.NoResponders, `no service receives message '${messageName}'`);
    this.name = 'NoRespondersError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.NoResponders);
  }
}

/** The bus could not be reached, even after retrying. */
export class ExoComUnreachableError extends ExoRelayError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly messageName: string,
    options?: ErrorOptions,
  ) {
    super(
      ErrorCode.ExoComUnreachable,
      `cannot reach ExoCom at ${host}:${port} to send '${messageName}': is the bus running?`,
      options,
    );
    this.name = 'ExoComUnreachableError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.ExoComUnreachable);
  }
}

/** The bus answered the message with an error status. */
export class MessageRejectedError extends ExoRelayError {
  constructor(
    readonly messageName: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super(ErrorCode.MessageRejected, `the bus refused message '${messageName}' with status ${status}: ${reason}`);
    this.name = 'MessageRejectedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.MessageRejected);
  }
}

/** The relay was closed while the operation was open, or used after `close()`. */
export class RelayClosedError extends ExoRelayError {
  constructor(message = 'the relay is closed') {
    super(ErrorCode.RelayClosed, message);
    this.name = 'RelayClosedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.RelayClosed);
  }
}

/** A registered handler threw or rejected; `cause` holds what it threw. The sender got an `exo.error` reply. */
export class HandlerError extends ExoRelayError {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    options: ErrorOptions,
  ) {
    super(ErrorCode.HandlerFailed, `the handler for '${messageName}' failed: ${describeCause(options.cause)}`, options);
    this.name = 'HandlerError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.HandlerFailed);
  }
}

/** A payload or reply does not satisfy the message's contract. */
export class ContractViolationError extends ExoRelayError {
  constructor(
    readonly messageName: string,
    /** Which way the message was going and what it was. */
    readonly direction: 'outgoing' | 'incoming',
    /** Readable schema issues, one per entry. */
    readonly issues: readonly string[],
    readonly outcome?: string,
  ) {
    const subject = outcome === undefined ? `payload of '${messageName}'` : `reply '${outcome}' to '${messageName}'`;
    super(ErrorCode.ContractViolation, `${direction} ${subject} breaks its contract:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ContractViolationError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.ContractViolation);
  }
}

/** More replies arrived than a stream may buffer while its consumer is not reading. */
export class BufferOverflowError extends ExoRelayError {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
    readonly limit: number,
  ) {
    super(
      ErrorCode.BufferOverflow,
      `the reply stream of '${messageName}' (${requestId}) buffered more than ${limit} unread replies: read it faster or raise maxBufferedReplies`,
    );
    this.name = 'BufferOverflowError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.BufferOverflow);
  }
}

/** A reply stream was iterated after the relay had dropped it for not being read in the tick it was created. */
export class ReplyStreamDetachedError extends ExoRelayError {
  constructor(
    readonly messageName: string,
    readonly requestId: string,
  ) {
    super(
      ErrorCode.StreamDetached,
      `the reply stream of '${messageName}' (${requestId}) was not read in the tick it was created, so its replies were not kept: start iterating it right away, or pass { onReply } or { keepReplies: true } to send()`,
    );
    this.name = 'ReplyStreamDetachedError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.StreamDetached);
  }
}

/**
 * The bus that carried a message died or restarted before every reply came back: it forgot the
 * way back, so the replies cannot arrive. The message may or may not have been handled.
 */
export class RepliesLostError extends ExoRelayError {
  constructor(
    readonly busAddress: string,
    readonly reason: 'unreachable' | 'restarted',
    options?: ErrorOptions,
  ) {
    super(
      ErrorCode.RepliesLost,
      reason === 'restarted'
        ? `the bus at ${busAddress} restarted and forgot where replies go: replies to messages sent before cannot arrive (they may or may not have been handled)`
        : `the bus at ${busAddress} cannot be reached: replies to messages sent through it cannot arrive (they may or may not have been handled)`,
      options,
    );
    this.name = 'RepliesLostError';
  }
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return hasBrand(instance, ErrorCode.RepliesLost);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
