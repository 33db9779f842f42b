import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeMessageName } from '@exorelay/protocol';
import { answerText, drainThenAnswer, isJsonMediaType } from '@exorelay/protocol/node';
import {
  ContractViolationError,
  ExoRelayError,
  InvalidArgumentError,
  type MessageMap,
  RelayClosedError,
  RemoteError,
} from 'exorelay';
import { type FrontendBridgeOptions, type ResolvedBridgeOptions, resolveBridgeOptions } from './bridge-options.js';
import { debug } from './debug.js';
import { AuthorizeFailedError, BridgeRequestError, ReplyFailedError } from './errors.js';
import { pipeToSSE } from './pipe-to-sse.js';
import { PushHub } from './push-hub.js';
import { readJsonBody } from './read-json-body.js';

/** Connect/Express-style continuation: called for requests outside the bridge. */
export type NextFunction = (error?: unknown) => void;

/**
 * A `node:http` request handler that serves the bridge's routes under its `basePath`:
 * `POST …/send/NAME` and `GET …/events`. Requests elsewhere go to `next`, or get 404.
 */
export interface FrontendBridge {
  (request: IncomingMessage, response: ServerResponse, next?: NextFunction): void;
  /** How many browsers hold the event stream open now. */
  readonly connections: number;
  /** Ends every event stream and unregisters the push handlers; later requests get 503. Close it before the relay. */
  close(): void;
}

/**
 * Lets web pages use the bus through this API server's relay: browsers `POST` the public
 * messages (`allow.send`) and read their replies as Server-Sent Events, and hold one event
 * stream on which the bridge pushes every arriving `allow.receive` message. `authorize` decides
 * who may connect; the relay sends as itself, so a browser can never choose the `sender`.
 *
 * Refusals are plain text: 401 (authorize said no), 403 (not on the allow-list), 415 (not
 * JSON), 413 (body over `bodyLimit`), 400 (malformed JSON, no object), 422 (the contracts
 * refuse the payload), 503 (relay or bridge closed), 502 (the bus refused or is unreachable).
 *
 * @example
 * const bridge = createFrontendBridge({
 *   relay,
 *   allow: { send: ['users.create'], receive: ['users.created'] },
 *   authorize: (request) => sessionOf(request),
 * })
 * createServer((req, res) => bridge(req, res, () => app(req, res))).listen(8080)
 */
export function createFrontendBridge<M extends MessageMap>(options: FrontendBridgeOptions<M>): FrontendBridge {
  const settings = resolveBridgeOptions(options, (error) => debug('%s', error.message));
  const hub = new PushHub(settings);
  let closed = false;
  for (const name of settings.pushed) {
    settings.relay.registerHandler(name, (payload, { requestId, sender }) => {
      hub.push({ name, payload, requestId, sender });
    });
  }
  const handle = (request: IncomingMessage, response: ServerResponse, next?: NextFunction) => {
    const path = bridgePath(request, settings.basePath);
    if (path === undefined) {
      if (next !== undefined) next();
      else drainThenAnswer(request, response, 404, 'not found');
      return;
    }
    // A browser that goes away mid-body must not become an unhandled 'error' event.
    request.on('error', (error) => debug('request stream error: %s', error.message));
    if (closed) return drainThenAnswer(request, response, 503, 'the bridge is closed');
    serve(settings, hub, { request, response, path }).catch((error: Error) => {
      settings.onError(error);
      if (!response.headersSent) answerText(response, 500, 'the bridge failed');
      else response.destroy();
    });
  };
  return Object.defineProperties(handle, {
    connections: { get: () => hub.size },
    close: {
      value: () => {
        closed = true;
        for (const name of settings.pushed) settings.relay.unregisterHandler(name);
        hub.close();
      },
    },
  }) as FrontendBridge;
}

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  /** The path below `basePath`: `/events`, `/send/NAME` … */
  path: string;
}

async function serve(settings: ResolvedBridgeOptions, hub: PushHub, exchange: Exchange): Promise<void> {
  const { request, response, path } = exchange;
  if (path === '/events') {
    if (request.method !== 'GET') return refuseMethod(exchange, 'GET');
    const identity = await authorized(settings, exchange);
    if (identity === undefined) return;
    return hub.connect(request, response, identity);
  }
  if (path.startsWith('/send/')) {
    if (request.method !== 'POST') return refuseMethod(exchange, 'POST');
    const name = decodeMessageName(path.slice('/send/'.length));
    if (name === undefined) return drainThenAnswer(request, response, 400, 'malformed message name in the path');
    const identity = await authorized(settings, exchange);
    if (identity === undefined) return;
    if (!settings.sendable.has(name)) return drainThenAnswer(request, response, 403, `message '${name}' is not public`);
    return sendMessage(settings, exchange, name, identity);
  }
  drainThenAnswer(request, response, 404, `the bridge has no route ${path}`);
}

/** The identity `authorize` gave, or `undefined` once the request was refused. */
async function authorized(
  settings: ResolvedBridgeOptions,
  { request, response, path }: Exchange,
): Promise<{ identity: unknown } | undefined> {
  let identity: unknown;
  try {
    identity = await settings.authorize(request);
  } catch (cause) {
    settings.onError(new AuthorizeFailedError(`${settings.basePath}${path}`, { cause }));
    drainThenAnswer(request, response, 500, 'authorization failed');
    return undefined;
  }
  if (identity !== undefined && identity !== null && identity !== false) return { identity };
  drainThenAnswer(request, response, 401, 'not authenticated');
  return undefined;
}

async function sendMessage(
  settings: ResolvedBridgeOptions,
  { request, response }: Exchange,
  name: string,
  { identity }: { identity: unknown },
) {
  // Demanding JSON keeps plain HTML forms of other sites out: they cannot send this type
  // without a CORS preflight.
  const contentType = request.headers['content-type'];
  if (contentType === undefined || !isJsonMediaType(contentType)) {
    return drainThenAnswer(
      request,
      response,
      415,
      `content-type must be application/json, got ${contentType ?? 'none'}`,
    );
  }
  const body = await readJsonBody(request, settings.bodyLimit);
  if (!body.ok) {
    if (body.problem === 'aborted') return;
    if (body.problem === 'too-large') response.setHeader('connection', 'close');
    return answerText(response, body.problem === 'too-large' ? 413 : 400, body.reason);
  }
  if (typeof body.json !== 'object' || body.json === null || Array.isArray(body.json)) {
    return answerText(response, 400, 'the body must be a JSON object: { "payload": … }');
  }
  // Only the payload is the browser's: whatever else the body says (an `auth`, a `sender`) is ignored.
  const { payload } = body.json as { payload?: unknown };
  const auth = settings.auth(identity);
  const stream = settings.relay.send(name, payload, {
    keepReplies: true,
    idleTimeout: settings.idleTimeout,
    ...(auth === undefined ? {} : { auth }),
  });
  try {
    await stream.sent;
  } catch (error) {
    return refuseSend(settings, response, name, error);
  }
  const result = await pipeToSSE(stream, response, { heartbeatInterval: settings.heartbeatInterval });
  if (result.error === undefined || result.correlationId === undefined) return;
  // A timeout or no responders is the browser's to know; a remote or unknown failure is the server's.
  if (result.error instanceof ExoRelayError && !(result.error instanceof RemoteError)) return;
  settings.onError(new ReplyFailedError(name, result.correlationId, { cause: result.error }));
}

/** The relay would not send the message: say why with the matching status. */
function refuseSend(settings: ResolvedBridgeOptions, response: ServerResponse, name: string, error: unknown): void {
  if (error instanceof ContractViolationError) {
    answerText(response, 422, error.message);
  } else if (error instanceof InvalidArgumentError) {
    answerText(response, 400, error.message);
  } else {
    const status = error instanceof RelayClosedError ? 503 : 502;
    settings.onError(new BridgeRequestError(name, status, { cause: error }));
    answerText(
      response,
      status,
      status === 503 ? 'the server is shutting down' : 'the message bus did not take the message',
    );
  }
}

/**
 * The request's path below `basePath`, or `undefined` when it is not the bridge's. Routers
 * that strip their mount point keep the full path in `originalUrl` (Express, Connect).
 */
function bridgePath(request: IncomingMessage, basePath: string): string | undefined {
  const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '/';
  const pathname = url.split('?', 1)[0] ?? '/';
  if (!pathname.startsWith(`${basePath}/`)) return undefined;
  return pathname.slice(basePath.length);
}

function refuseMethod({ request, response, path }: Exchange, allowed: string): void {
  response.setHeader('allow', allowed);
  drainThenAnswer(request, response, 405, `use ${allowed} for ${path}, not ${request.method}`);
}
