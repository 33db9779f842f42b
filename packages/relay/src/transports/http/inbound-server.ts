import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeMessageName, NamedEnvelope, parseEnvelopeJson } from '@exorelay/protocol';
import {
  answerJson,
  answerText,
  bearerToken,
  closeGracefully,
  createHttpServer,
  drainThenAnswer,
  isJsonMediaType,
  listenOn,
  readBody,
  refuseOversizedUploads,
  requestPath,
  Secret,
  type ServerTlsOptions,
} from '@exorelay/protocol/node';
import { debug } from '../../debug.js';
import { PortInUseError } from '../../errors.js';
import type { Delivery } from '../../transport.js';

export interface InboundServerOptions {
  host: string;
  port: number;
  bodyLimit: number;
  /** The bus's credential: `/run/NAME` without it gets 401. */
  busToken: string | undefined;
  /** Serve HTTPS; with `ca`, only callers with a client certificate it signed (the bus's) connect. */
  tls: InboundTlsOptions | undefined;
  serviceName: string;
  deliver: (message: NamedEnvelope) => Promise<Delivery>;
  handledNames: () => readonly string[];
}

/** HTTPS for the relay's `/run`: its certificate and key; `ca` to require the bus's client certificate (mTLS). PEM. */
export type InboundTlsOptions = ServerTlsOptions;

const deliveryStatus: Record<Delivery['kind'], number> = {
  accepted: 200,
  invalid: 400,
  'unknown-message': 404,
  rejected: 422,
  unavailable: 503,
  busy: 503,
};

/**
 * The relay's HTTP endpoint for the bus: `GET /status` and `POST /run/NAME`. node:http with
 * no framework; every request, however malformed, gets an answer and leaves the server serving.
 */
export class InboundServer {
  readonly #server: Server;
  readonly #options: InboundServerOptions;
  readonly #busToken: Secret | undefined;

  private constructor(options: InboundServerOptions) {
    this.#options = options;
    this.#busToken = options.busToken === undefined ? undefined : new Secret(options.busToken);
    const listener: RequestListener = (request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        debug('answering %s %s failed: %o', request.method, request.url, error);
        if (!response.headersSent) answerText(response, 500, 'internal error');
        else response.destroy();
      });
    };
    this.#server = createHttpServer(listener, options.tls);
  }

  static async start(options: InboundServerOptions): Promise<InboundServer> {
    const inbound = new InboundServer(options);
    refuseOversizedUploads(inbound.#server, options.bodyLimit, (_request, response) =>
      answerText(response, 413, tooLarge(options.bodyLimit)),
    );
    await listenOn(inbound.#server, options, (cause) => new PortInUseError(options.port, { cause }));
    return inbound;
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
    const path = requestPath(request.url);
    if (path === '/status') return this.#status(request, response);
    if (path === '/run' || path === '/run/') return drainThenAnswer(request, response, 404, 'missing message name');
    if (!path.startsWith('/run/')) return drainThenAnswer(request, response, 404, `not found: ${path}`);
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return drainThenAnswer(request, response, 405, `use POST to deliver a message, not ${request.method}`);
    }
    const name = decodeMessageName(path.slice('/run/'.length));
    if (name === undefined) return drainThenAnswer(request, response, 400, 'malformed message name in the path');
    if (this.#busToken !== undefined && !this.#busToken.matches(bearerToken(request.headers.authorization))) {
      response.setHeader('www-authenticate', 'Bearer');
      return drainThenAnswer(
        request,
        response,
        401,
        "only the bus may run handlers: send its 'authorization: Bearer TOKEN'",
      );
    }
    return this.#run(name, request, response);
  }

  async #run(name: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !isJsonMediaType(contentType)) {
      return drainThenAnswer(request, response, 415, `content-type must be application/json, got ${contentType}`);
    }
    const body = await readBody(request, this.#options.bodyLimit);
    if (!body.ok) {
      if (body.error === 'aborted') return;
      response.setHeader('connection', 'close');
      return answerText(response, 413, tooLarge(this.#options.bodyLimit));
    }
    const parsed = parseEnvelopeJson(body.text);
    if (!parsed.ok) return answerText(response, 400, parsed.error);
    const delivery = await this.#options.deliver(new NamedEnvelope(name, parsed.envelope));
    // The bus tries another instance, or this one again after retry-after seconds.
    if (delivery.kind === 'busy') response.setHeader('retry-after', Math.ceil(delivery.retryAfterMs / 1000));
    answerText(response, deliveryStatus[delivery.kind], delivery.kind === 'accepted' ? 'OK' : delivery.error);
  }

  #status(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      drainThenAnswer(request, response, 405, `use GET for /status, not ${request.method}`);
      return;
    }
    const status = { status: 'online', serviceName: this.#options.serviceName, handles: this.#options.handledNames() };
    answerJson(response, 200, status);
  }
}

function tooLarge(limit: number): string {
  return `message body is larger than the limit of ${limit} bytes`;
}
