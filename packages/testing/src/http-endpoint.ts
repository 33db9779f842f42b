import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_BODY_LIMIT,
  decodeMessageName,
  type Envelope,
  INSTANCE_HEADER,
  parseEnvelope,
} from '@exorelay/protocol';
import { answerJson, answerText, closeGracefully, listenOn, readBody } from '@exorelay/protocol/node';

export type Answer = { status: number; json: unknown } | { status: number; text: string };

/** The mock's handling of the bus endpoints, once a request is well-formed. */
export interface MockEndpoints {
  send(name: string, envelope: Envelope, instance: string | undefined): Answer;
  register(body: unknown): Answer;
  deregister(body: unknown): Answer;
  status(): Answer;
}

/**
 * A real HTTP endpoint on 127.0.0.1 that speaks the bus side of the protocol: `POST /send/NAME`,
 * `/register`, `/deregister`, `GET /status`. Malformed requests get the bus's 4xx texts.
 */
export class HttpEndpoint {
  readonly #server: Server;

  private constructor(endpoints: MockEndpoints) {
    this.#server = createServer((request, response) => {
      handle(endpoints, request).then(
        (result) => answer(response, result),
        (error: Error) => answer(response, { status: 500, text: error.message }),
      );
    });
  }

  static async start(endpoints: MockEndpoints, port: number): Promise<HttpEndpoint> {
    const endpoint = new HttpEndpoint(endpoints);
    await listenOn(endpoint.#server, { port, host: '127.0.0.1' });
    return endpoint;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return closeGracefully(this.#server);
  }
}

async function handle(endpoints: MockEndpoints, request: IncomingMessage): Promise<Answer> {
  const body = await readBody(request, DEFAULT_BODY_LIMIT);
  if (!body.ok && body.error === 'too-large') {
    return { status: 413, text: `message body is larger than the limit of ${DEFAULT_BODY_LIMIT} bytes` };
  }
  if (!body.ok) return { status: 400, text: 'the client closed the connection before the body ended' };
  const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
  if (path === '/status' && request.method === 'GET') return endpoints.status();
  if (request.method !== 'POST') return { status: 405, text: `use POST for ${path}, not ${request.method}` };
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch (error) {
    return { status: 400, text: `malformed JSON in the body: ${(error as Error).message}` };
  }
  if (path === '/register') return endpoints.register(json);
  if (path === '/deregister') return endpoints.deregister(json);
  if (!path.startsWith('/send/') || path.length === '/send/'.length) return { status: 404, text: `not found: ${path}` };
  const parsed = parseEnvelope(json);
  if (!parsed.ok) return { status: 400, text: parsed.error };
  const name = decodeMessageName(path.slice('/send/'.length));
  if (name === undefined) return { status: 400, text: 'malformed message name in the path' };
  const instance = request.headers[INSTANCE_HEADER];
  return endpoints.send(name, parsed.envelope, typeof instance === 'string' ? instance : undefined);
}

function answer(response: ServerResponse, result: Answer): void {
  if ('json' in result) answerJson(response, result.status, result.json);
  else answerText(response, result.status, result.text);
}
