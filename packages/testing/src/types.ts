import type { ErrorReplyPayload } from '@exorelay/protocol';
import type {
  MessageMap,
  MessageName,
  OutcomeOf,
  PayloadInputOf,
  PayloadOf,
  Reply,
  ReplyOf,
  ReplyPayloadInputOf,
} from 'exorelay';

/** A message the service sent to the mock (`POST /send/NAME`), replies included. */
export interface ReceivedMessage<N extends string = string, P = unknown> {
  name: N;
  payload: P;
  sender: string | undefined;
  requestId: string;
  /** Set on replies: the `requestId` answered. */
  responseTo: string | undefined;
  /** `host:port` of the sending instance, when its relay named itself (`exorelay-instance` header). */
  instance: string | undefined;
  /** The envelope as it came, unknown fields included. */
  envelope: Record<string, unknown>;
}

/** The payload type of a message the service sent: typed for names the contracts declare. */
export type ReceivedPayload<M extends MessageMap, N extends string> = string extends N
  ? unknown
  : N extends MessageName<M>
    ? PayloadOf<M, N>
    : unknown;

/** What the service answered to a message sent with `bus.send()`; an `exo.error` reply is yielded too. */
export type MockReply<M extends MessageMap, N extends MessageName<M>> =
  | ReplyOf<M, N>
  | Reply<'exo.error', ErrorReplyPayload>;

/** Where `bus.send()` delivers: a service that registered with the mock, or an address. */
export type DeliveryTarget = string | { host: string; port: number };

/** The argument of `bus.send()`; `payload` is required where the contract requires one. */
export type MockSendMessage<M extends MessageMap, N extends MessageName<M>> = {
  to: DeliveryTarget;
  name: N;
  /**
   * The sender the service sees.
   * @default 'test'
   */
  sender?: string;
  /**
   * Fail the reply stream if no final reply arrives within this many ms.
   * @default the mock's timeout (5000)
   */
  timeout?: number;
} & (undefined extends PayloadInputOf<M, N> ? { payload?: PayloadInputOf<M, N> } : { payload: PayloadInputOf<M, N> });

/** The outcomes the mock may answer a received message with: typed for names the contracts declare. */
export type ReplyOutcome<M extends MessageMap, N extends string> = string extends N
  ? string
  : N extends MessageName<M>
    ? OutcomeOf<M, N>
    : string;

/** The argument of `bus.reply()`. */
export interface MockReplyMessage<M extends MessageMap, N extends string, O extends string> {
  outcome: O;
  payload?: N extends MessageName<M> ? ReplyPayloadInputOf<M, N, O> : unknown;
  /**
   * A progress or chunk reply (`more: true` on the wire); the final reply leaves it out.
   * @default false
   */
  progress?: boolean;
  /**
   * The replying service the service sees.
   * @default 'test'
   */
  sender?: string;
}
