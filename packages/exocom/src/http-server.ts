import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  BUS_INSTANCE_HEADER,
  decodeMessageName,
  type Envelope,
  EVENTS_PATH,
  INSTANCE_HEADER,
  parseEnvelope,
} from '@exorelay/protocol';
import {
  answerJson,
  answerText,
  closeGracefully,
  createHttpServer,
  isJsonMediaType,
  listenOn,
  readBody,
  refuseOversizedUploads,
  requestPath,
  type ServerTlsOptions,
} from '@exorelay/protocol/node';
import type { Caller, PresentedCredentials } from './auth.js';
import { certificateUris } from './client-certificate.js';
import { debug } from './debug.js';
import { PortInUseError } from './errors.js';
import type { WatchSender } from './held-sends.js';

/** The answer to one request: JSON, or a plain-text reason. */
export type EndpointAnswer =
  | { status: number; json: unknown }
  | { status: number; text: string; headers?: Record<string, string> | undefined };

/** What the HTTP layer hands on once a request is well-formed. */
export interface BusEndpoints {
  send(message: {
    name: string;
    envelope: Envelope;
    json: string;
    instance: string | undefined;
    /**
     * Watches the sender's connection, for a send held while it waits for room: one whose
     * sender went away is not routed. Called only by sends that wait.
     */
    watchSender: WatchSender;
    caller: Caller;
  }): EndpointAnswer | Promise<EndpointAnswer>;
  register(body: unknown, caller: Caller): EndpointAnswer;
  deregister(body: unknown, caller: Caller): EndpointAnswer;
  configure(body: unknown, caller: Caller): EndpointAnswer;
  services(caller: Caller): EndpointAnswer;
  status(caller: Caller): EndpointAnswer;
  /** `GET /events`: takes the response over as an event stream, or refuses with an answer. */
  events(request: IncomingMessage, response: ServerResponse, caller: Caller): EndpointAnswer | undefined;
  /** More `GET` endpoints by path, each writing its own answer: `/metrics`, `/dashboard` … */
  views?: ReadonlyMap<string, (request: IncomingMessage, response: ServerResponse) => void>;
  /** Refuses a view (`/metrics`, `/dashboard`) to a caller who may not see it. */
  refuseView?(caller: Caller): EndpointAnswer | undefined;
}

export interface BusHttpServerOptions {
  host: string;
  port: number;
  bodyLimit: number;
  /** Sent as `exocom-instance` with every answer: a relay that sees it change knows the bus restarted. */
  busInstance: string;
  endpoints: BusEndpoints;
  /** Serve HTTPS with these; with `ca`, clients must present a certificate it signed (mTLS). */
  tls?: BusTlsOptions | undefined;
  /** Who sent a request, from its `authorization` header and its client certificate. */
  identify(credentials: PresentedCredentials): Caller;
}

/**
 * HTTPS for the bus: PEM text or buffers, as `node:tls` takes them. With `ca`, the bus requires
 * and verifies a client certificate signed by it from every caller (mTLS), before any request.
 */
export type BusTlsOptions = ServerTlsOptions;

type Route =
  | {
      method: 'GET' | 'POST';
      run: (request: IncomingMessage, caller: Caller) => Promise<EndpointAnswer> | EndpointAnswer;
    }
  /** An endpoint that writes the response itself (an event stream, a view), unless it refuses. */
  | {
      method: 'GET';
      stream: (request: IncomingMessage, response: ServerResponse, caller: Caller) => EndpointAnswer | undefined;
    };

/**
 * The bus's HTTP face: `POST /send/NAME`, `/register`, `/deregister`, `/services`, `GET /services`,
 * `GET /status`, `GET /events`; `HEAD /status` and `/services`. node:http with no framework;
 * every request, however malformed, gets a clear answer and leaves the server serving.
 */
export class BusHttpServer {
  readonly #server: Server;
  readonly #options: BusHttpServerOptions;

  private constructor(options: BusHttpServerOptions) {
    this.#options = options;
    const listener: RequestListener = (request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        debug('answering %s %s failed: %o', request.method, request.url, error);
        if (!response.headersSent) answer(response, { status: 500, text: 'internal error' });
        else response.destroy();
      });
    };
    this.#server = createHttpServer(listener, options.tls);
    refuseOversizedUploads(this.#server, options.bodyLimit, (_request, response) => {
      response.setHeader(BUS_INSTANCE_HEADER, options.busInstance);
      answer(response, tooLarge(options.bodyLimit));
    });
  }

  static async start(options: BusHttpServerOptions): Promise<BusHttpServer> {
    const bus = new BusHttpServer(options);
    await listenOn(bus.#server, options, (cause) => new PortInUseError(options.port, { cause }));
    return bus;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Stops taking connections, lets requests in flight finish, then closes idle keep-alive sockets. */
  close(): Promise<void> {
    return closeGracefully(this.#server);
  }

  // A client that goes away mid-body is no 'error' event: node:http emits one on a request only
  // to listeners, and `readBody` listens while it reads.
  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader(BUS_INSTANCE_HEADER, this.#options.busInstance);
    const path = requestPath(request.url);
    const route = this.#routeOf(path);
    if (route === undefined) return drainThen(request, response, { status: 404, text: `not found: ${path}` });
    const allowed = Array.isArray(route) ? route : [route];
    const match = allowed.find(
      (candidate) => candidate.method === request.method || (request.method === 'HEAD' && answersHead(candidate)),
    );
    if (match === undefined) {
      const methods = allowed.flatMap((candidate) => (answersHead(candidate) ? ['GET', 'HEAD'] : [candidate.method]));
      response.setHeader('allow', methods.join(', '));
      return drainThen(request, response, {
        status: 405,
        text: `use ${allowed[0]!.method} for ${path}, not ${request.method}`,
      });
    }
    const caller = this.#options.identify({
      authorization: request.headers.authorization,
      certificateUris: () => certificateUris(request.socket),
    });
    if ('stream' in match) {
      request.resume();
      const refusal = match.stream(request, response, caller);
      if (refusal !== undefined) answer(response, refusal);
      return;
    }
    answer(response, await match.run(request, caller));
  }

  #routeOf(path: string): Route | Route[] | undefined {
    const { endpoints } = this.#options;
    const view = endpoints.views?.get(path);
    if (view !== undefined) {
      return {
        method: 'GET',
        stream: (request, response, caller) => endpoints.refuseView?.(caller) ?? void view(request, response),
      };
    }
    switch (path) {
      case '/status':
        return { method: 'GET', run: (_request, caller) => endpoints.status(caller) };
      case EVENTS_PATH:
        return { method: 'GET', stream: (request, response, caller) => endpoints.events(request, response, caller) };
      case '/services':
        return [
          { method: 'GET', run: (_request, caller) => endpoints.services(caller) },
          {
            method: 'POST',
            run: (request, caller) => this.#withJson(request, (body) => endpoints.configure(body, caller)),
          },
        ];
      case '/register':
        return {
          method: 'POST',
          run: (request, caller) => this.#withJson(request, (body) => endpoints.register(body, caller)),
        };
      case '/deregister':
        return {
          method: 'POST',
          run: (request, caller) => this.#withJson(request, (body) => endpoints.deregister(body, caller)),
        };
      case '/send':
      case '/send/':
        return { method: 'POST', run: () => ({ status: 404, text: 'missing message name: POST /send/NAME' }) };
    }
    if (!path.startsWith('/send/')) return undefined;
    return { method: 'POST', run: (request, caller) => this.#send(path.slice('/send/'.length), request, caller) };
  }

  async #send(encodedName: string, request: IncomingMessage, caller: Caller): Promise<EndpointAnswer> {
    const name = decodeMessageName(encodedName);
    if (name === undefined) return { status: 400, text: 'malformed message name in the path' };
    return this.#withJson(request, (body, json) => {
      const parsed = parseEnvelope(body);
      if (!parsed.ok) return { status: 400, text: parsed.error };
      const instance = request.headers[INSTANCE_HEADER];
      return this.#options.endpoints.send({
        name,
        envelope: parsed.envelope,
        json,
        instance: typeof instance === 'string' ? instance : undefined,
        // A sender that gave up on a held send retries it: the first must not be routed as well.
        watchSender: (onGone) => watchConnection(request.socket, onGone),
        caller,
      });
    });
  }

  /** Reads, size-checks and parses a JSON body, then hands it on. */
  async #withJson(
    request: IncomingMessage,
    next: (body: unknown, json: string) => EndpointAnswer | Promise<EndpointAnswer>,
  ): Promise<EndpointAnswer> {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !isJsonMediaType(contentType)) {
      request.resume();
      return { status: 415, text: `content-type must be application/json, got ${contentType}` };
    }
    const limit = this.#options.bodyLimit;
    const body = await readBody(request, limit);
    if (!body.ok && body.error === 'too-large') return tooLarge(limit);
    // A client that went away mid-body hears nothing; the answer only closes the exchange.
    if (!body.ok) return { status: 400, text: 'the client closed the connection before the body ended' };
    try {
      return next(JSON.parse(body.text), body.text);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return { status: 400, text: `malformed JSON in the body: ${error.message}` };
    }
  }
}

/**
 * Whether `route` answers `HEAD` as it answers `GET`, headers without the body (node:http drops
 * it): probes and load balancers check a server with `HEAD`. Not a route that writes its own
 * response: an event stream would stay open, and subscribe a reader nobody is.
 */
function answersHead(route: Route): boolean {
  return route.method === 'GET' && 'run' in route;
}

/** Calls `onGone` once `socket` closes (at once when it has); returns what stops watching. */
function watchConnection(socket: Socket, onGone: () => void): () => void {
  if (socket.destroyed) {
    onGone();
    return noWatch;
  }
  socket.once('close', onGone);
  return () => socket.off('close', onGone);
}

function noWatch(): void {}

function tooLarge(limit: number): EndpointAnswer {
  return { status: 413, text: `message body is larger than the limit of ${limit} bytes` };
}

function answer(response: ServerResponse, result: EndpointAnswer): void {
  // The refused body was read and dropped up to a bound; whatever may still come is not read.
  if (result.status === 413) response.setHeader('connection', 'close');
  if ('headers' in result && result.headers !== undefined) {
    for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  }
  if ('json' in result) answerJson(response, result.status, result.json);
  else answerText(response, result.status, result.text);
}

/** Answers without reading the body, but lets it flow so the keep-alive connection stays usable. */
function drainThen(request: IncomingMessage, response: ServerResponse, result: EndpointAnswer): void {
  request.resume();
  answer(response, result);
}
