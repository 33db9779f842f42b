import type { ExoRelay, HandlerContext, MessageMap, MessageName } from 'exorelay';
import type { ServiceLog } from './service-log.js';

/** What `beforeAll` and `afterAll` get: the relay's `send` and `request`, a log, and a stop signal. */
export interface HookContext<M extends MessageMap> {
  /** The service's name, as the bus knows it. */
  serviceName: string;
  /** The relay's `send`: a message, fire-and-forget or read as a reply stream. */
  send: ExoRelay<M>['send'];
  /** The relay's `request`: a message and its first final reply. */
  request: ExoRelay<M>['request'];
  log: ServiceLog;
  /** Aborts when the service must stop at once: a second signal, or the drain time is over. */
  signal: AbortSignal;
}

/**
 * What a handler gets besides the payload: `reply` (typed by the message's outcomes), `send`
 * and `request`, `log` (lines prefixed with service and message name), and `signal`, which
 * aborts when the service must stop at once (the drain time is over). Pass it on to long work.
 */
export interface ServiceContext<M extends MessageMap, N extends MessageName<M>>
  extends HandlerContext<M, N, ExoRelay<M>> {
  log: ServiceLog;
  signal: AbortSignal;
}

/** A handler of a service module. */
export type ServiceHandler<M extends MessageMap, N extends MessageName<M>> = (
  payload: M[N]['payload'],
  context: ServiceContext<M, N>,
) => unknown;

/** A lifecycle hook: `beforeAll` opens what the handlers need, `afterAll` closes it. */
export type ServiceHook<M extends MessageMap> = (context: HookContext<M>) => unknown;
