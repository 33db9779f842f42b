import type { IncomingMessage } from 'node:http';
import { DEFAULT_BODY_LIMIT, isReservedName, type PushedMessage } from '@exorelay/protocol';
import type { ExoRelay, MessageMap, MessageName, UntypedMessages } from 'exorelay';
import { SSEConfigError } from './errors.js';
import { DEFAULT_HEARTBEAT_INTERVAL } from './sse-format.js';

/**
 * Decides who may use the bridge. Return anything but `undefined`, `null` or `false` (a user,
 * a session, `true`) to let the request in; return nothing to answer 401. A throw answers 500.
 */
export type AuthorizeHook = (request: IncomingMessage) => unknown;

/**
 * Decides whether one browser sees one pushed message. `identity` is what `authorize` returned
 * for its event stream. Return `true` to push; anything else (or a throw) keeps it back.
 */
export type PushFilter = (message: PushedMessage, identity: unknown) => boolean;

/** Options of `createFrontendBridge`: the relay it uses, what pages may send and receive, and who may. */
export interface FrontendBridgeOptions<M extends MessageMap = UntypedMessages> {
  /** The API server's relay: it sends the browsers' messages (as their `sender`) and receives the pushed ones. */
  relay: ExoRelay<M>;
  /**
   * The public messages: `send` lists what browsers may send, `receive` what the bridge pushes
   * to them. Everything else is refused with 403. The bridge registers a handler on `relay` for
   * each `receive` name.
   * @example allow: { send: ['users.create', 'users.list'], receive: ['users.created'] }
   */
  allow: { send?: readonly MessageName<M>[]; receive?: readonly MessageName<M>[] };
  /**
   * Who may connect. Without it, everyone may.
   * @default every request is let in
   * @example authorize: (request) => sessions.get(cookie(request, 'sid'))
   */
  authorize?: AuthorizeHook;
  /**
   * Which browser sees which pushed message. Without it every connected browser sees every
   * `allow.receive` message: give one whenever pushed payloads belong to someone.
   * @default every browser sees every pushed message
   * @example filter: (message, user) => (message.payload as { userId?: string }).userId === (user as User).id
   */
  filter?: PushFilter;
  /**
   * What services see of a browser's identity, as `ctx.auth` of the messages it sends: the
   * envelope's `auth`, set by the bridge, never taken from the browser's body. Return only what
   * services need (ids, roles), never a session's secrets; `undefined` sends none.
   * @default the identity `authorize` returned, unless it is `true`
   * @example auth: (user) => ({ userId: (user as User).id, roles: (user as User).roles })
   */
  auth?: (identity: unknown) => unknown;
  /**
   * Largest accepted body of `POST …/send/NAME`, in bytes; larger ones get 413.
   * @default 1048576 (1 MiB)
   */
  bodyLimit?: number;
  /**
   * Where the bridge lives. Requests under it are the bridge's; the handler also accepts paths
   * from which a router already removed its mount point (Express's `app.use('/bridge', bridge)`).
   * @default '/bridge'
   * @example basePath: '/api/bus'
   */
  basePath?: string;
  /**
   * Fail a reply stream with an `EXORELAY_TIMEOUT` `error` event after this many ms without any
   * reply, so a message nobody answers does not hold a connection forever.
   * @default 30000
   */
  idleTimeout?: number;
  /**
   * Heartbeat comments on open streams this often, in ms.
   * @default 15000
   */
  heartbeatInterval?: number;
  /**
   * How many recent pushed messages are kept for browsers that reconnect with `Last-Event-ID`.
   * @default 1000
   */
  replayLimit?: number;
  /**
   * How many bytes of recent pushed messages are kept for reconnecting browsers, at most.
   * @default 1048576 (1 MiB)
   */
  replayBytes?: number;
  /**
   * Told about failures that no browser can be told about in full: `authorize` threw, the bus
   * refused a message (the browser got a 5xx), a reply stream failed with a non-ExoRelay error.
   * @default debug output (NODE_DEBUG=exorelay:sse)
   * @example onError: (error) => logger.error(error)
   */
  onError?: (error: Error) => void;
}

export interface ResolvedBridgeOptions {
  relay: ExoRelay;
  sendable: ReadonlySet<string>;
  pushed: readonly string[];
  authorize: AuthorizeHook;
  bodyLimit: number;
  basePath: string;
  idleTimeout: number;
  heartbeatInterval: number;
  replayLimit: number;
  replayBytes: number;
  filter: PushFilter;
  auth: (identity: unknown) => unknown;
  onError: (error: Error) => void;
}

/** Checks the options and fills in defaults; throws an `SSEConfigError` that says what to fix. */
export function resolveBridgeOptions<M extends MessageMap>(
  options: FrontendBridgeOptions<M>,
  onErrorFallback: (error: Error) => void,
): ResolvedBridgeOptions {
  if (typeof options !== 'object' || options === null)
    throw new SSEConfigError('createFrontendBridge needs an options object');
  const relay = options.relay as unknown as ExoRelay;
  if (typeof relay?.send !== 'function' || typeof relay.registerHandler !== 'function') {
    throw new SSEConfigError('createFrontendBridge needs the relay of the API server: { relay }');
  }
  if (typeof options.allow !== 'object' || options.allow === null) {
    throw new SSEConfigError("createFrontendBridge needs an allow-list: { allow: { send: ['…'], receive: ['…'] } }");
  }
  const pushed = messageNames('allow.receive', options.allow.receive);
  for (const name of pushed) {
    if (relay.hasHandler(name)) {
      throw new SSEConfigError(
        `the relay already handles '${name}'; the bridge needs its own handler to push it to browsers`,
      );
    }
  }
  const sendable = new Set(messageNames('allow.send', options.allow.send));
  const both = pushed.find((name) => sendable.has(name));
  if (both !== undefined) {
    throw new SSEConfigError(
      `'${both}' is on both allow.send and allow.receive: any page could send it and so push it to every other page; keep it on one list`,
    );
  }
  return {
    relay,
    sendable,
    pushed,
    authorize: checkFunction('authorize', options.authorize) ?? (() => true),
    bodyLimit: positive('bodyLimit', options.bodyLimit, DEFAULT_BODY_LIMIT),
    basePath: basePathOf(options.basePath ?? '/bridge'),
    idleTimeout: positive('idleTimeout', options.idleTimeout, 30_000),
    heartbeatInterval: positive('heartbeatInterval', options.heartbeatInterval, DEFAULT_HEARTBEAT_INTERVAL),
    replayLimit: positive('replayLimit', options.replayLimit, 1000),
    replayBytes: positive('replayBytes', options.replayBytes, 1024 * 1024),
    filter: checkFunction('filter', options.filter) ?? (() => true),
    auth: checkFunction('auth', options.auth) ?? ((identity) => (identity === true ? undefined : identity)),
    onError: checkFunction('onError', options.onError) ?? onErrorFallback,
  };
}

function messageNames(field: string, names: readonly string[] | undefined): string[] {
  if (names === undefined) return [];
  if (!Array.isArray(names)) throw new SSEConfigError(`${field} must be an array of message names`);
  for (const name of names) {
    if (typeof name !== 'string' || name === '')
      throw new SSEConfigError(`${field} must hold message names, got ${JSON.stringify(name)}`);
    if (isReservedName(name))
      throw new SSEConfigError(`${field} cannot hold '${name}': names starting with 'exo.' belong to the protocol`);
  }
  return [...new Set(names)];
}

function checkFunction<F>(field: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new SSEConfigError(`${field} must be a function`);
  return value;
}

function positive(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw new SSEConfigError(`${field} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function basePathOf(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new SSEConfigError(`basePath must start with '/', got ${JSON.stringify(path)}`);
  return path.replace(/\/+$/, '');
}
