import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contracts, type DemoMessages } from '@exorelay/example-contracts';
import { createFrontendBridge, type FrontendBridge } from '@exorelay/sse';
import { ExoRelay, type Transport } from 'exorelay';
import { pEvent } from 'p-event';
import { buildPageAssets, type PageAssets } from './page-assets.js';

export interface WebServerOptions {
  exocomPort: number;
  exocomHost?: string;
  transport?: Transport;
  /** The web service's credential for an ExoCom with `auth`. */
  token?: string;
  /** The bus's credential: `POST /run/NAME` without it gets 401. */
  busToken?: string;
}

type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

/**
 * The demo's API server: plain HTTP routes in front of the users and files services.
 * `POST /users`, `GET /users` use `relay.request`; `POST /files/copy` streams the copy's
 * progress as NDJSON and `GET /files/content?path=` streams the file, both by iterating
 * `relay.send`. A browser that goes away cancels the reply stream.
 *
 * `GET /` is a page that copies a file and shows its live progress: its script (`/client.js`,
 * bundled with `@exorelay/browser` at start) goes through the frontend bridge at `/bridge`.
 */
export class WebServer extends EventEmitter<{ error: [Error] }> {
  readonly relay: ExoRelay<DemoMessages>;
  readonly #bridge: FrontendBridge;
  readonly #server = createServer((request, response) => this.#route(request, response));
  #page: PageAssets | undefined;
  readonly #routes: Record<string, Route> = {
    'GET /': (_request, response) => this.#sendPage(response, 'html'),
    'GET /client.js': (_request, response) => this.#sendPage(response, 'script'),
    'POST /users': (request, response) => this.#createUser(request, response),
    'GET /users': (_request, response) => this.#listUsers(response),
    'POST /files/copy': (request, response) => this.#copyFile(request, response),
    'GET /files/content': (request, response, url) => this.#readFile(request, response, url),
  };

  constructor(options: WebServerOptions) {
    super();
    const { busToken, ...relayOptions } = options;
    this.relay = new ExoRelay({
      serviceName: 'web',
      contracts,
      ...relayOptions,
      ...(busToken === undefined ? {} : { http: { inbound: { token: busToken } } }),
    });
    this.relay.on('error', (error) => this.emit('error', error));
    this.#bridge = createFrontendBridge({
      relay: this.relay,
      allow: { send: ['file.copy', 'users.create', 'users.list'], receive: [] },
      // The demo lets every visitor in; a real server would look up a session here.
      authorize: () => true,
      onError: (error) => this.emit('error', error),
    });
  }

  /** Starts the relay on a free port and the HTTP server on `port`; resolves with the HTTP port. */
  async listen(port: number | string = 0): Promise<number> {
    this.#page = await buildPageAssets();
    await this.relay.listen(0);
    this.#server.listen(Number(port), '127.0.0.1');
    await pEvent(this.#server, 'listening', { rejectionEvents: ['error'] });
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.#bridge.close();
    this.#server.closeAllConnections();
    this.#server.close();
    await this.relay.close();
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/bridge/')) {
      this.#bridge(request, response);
      return;
    }
    const route = this.#routes[`${request.method} ${url.pathname}`];
    if (route === undefined) {
      sendJson(response, 404, { error: `no route ${request.method} ${url.pathname}` });
      return;
    }
    route(request, response, url).catch((error: Error) => {
      this.emit('error', error);
      if (!response.headersSent) sendJson(response, 502, { error: error.message });
      else response.destroy(error);
    });
  }

  async #sendPage(response: ServerResponse, part: keyof PageAssets): Promise<void> {
    const page = this.#page;
    if (page === undefined) return sendJson(response, 503, { error: 'the page is not built yet' });
    const contentType = part === 'html' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8';
    response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
    response.end(page[part]);
  }

  async #createUser(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { name, email } = (await readJson(request)) as { name: string; email: string };
    const reply = await this.relay.request('users.create', { name, email });
    if (reply.outcome === 'users.created') return sendJson(response, 201, reply.payload);
    return sendJson(response, 409, { error: `${reply.payload.email} is taken` });
  }

  async #listUsers(response: ServerResponse): Promise<void> {
    const reply = await this.relay.request('users.list');
    sendJson(response, 200, reply.payload.users);
  }

  async #copyFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { from, to } = (await readJson(request)) as { from: string; to: string };
    const gone = whenClientLeaves(request, response);
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for await (const reply of this.relay.send('file.copy', { from, to }, { signal: gone.signal })) {
      response.write(`${JSON.stringify({ outcome: reply.outcome, payload: reply.payload })}\n`);
    }
    response.end();
  }

  async #readFile(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const path = url.searchParams.get('path') ?? '';
    const gone = whenClientLeaves(request, response);
    for await (const reply of this.relay.send('file.read', { path }, { signal: gone.signal })) {
      if (reply.outcome === 'file.not-found') return sendJson(response, 404, { error: `no file ${path}` });
      if (!response.headersSent) response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      if (reply.outcome === 'file.read-chunk') response.write(Buffer.from(reply.payload.data, 'base64'));
    }
    response.end();
  }
}

/** Aborts when the client disconnects before the response finished, which ends the reply stream. */
function whenClientLeaves(request: IncomingMessage, response: ServerResponse): AbortController {
  const controller = new AbortController();
  request.socket.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('the client went away'));
  });
  return controller;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
