import { createServer, type Server } from 'node:http';
import { answerText, closeGracefully, listenOn } from '@exorelay/protocol/node';

/** What the health server asks the running service. */
export interface HealthProbe {
  /** The process works (it answers at all, and is not stopped). */
  live(): boolean;
  /** Messages reach it: the relay listens and the transport is online, and it is not shutting down. */
  ready(): boolean;
  metrics(): Promise<{ contentType: string; text: string }>;
}

/**
 * A small HTTP server beside the relay for orchestrators and Prometheus: `GET /healthz`,
 * `GET /readyz` (200 or 503) and `GET /metrics`. It has its own port because the relay's HTTP
 * transport owns the message port and answers only the protocol there.
 */
export class HealthServer {
  readonly #server: Server;

  private constructor(probe: HealthProbe) {
    this.#server = createServer((request, response) => {
      request.resume();
      const path = (request.url ?? '/').split('?', 1)[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('allow', 'GET, HEAD');
        return answerText(response, 405, `use GET for ${path}`);
      }
      switch (path) {
        case '/healthz':
          return probe.live() ? answerText(response, 200, 'live\n') : answerText(response, 503, 'stopped\n');
        case '/readyz':
          return probe.ready() ? answerText(response, 200, 'ready\n') : answerText(response, 503, 'not ready\n');
        case '/metrics':
          return void probe.metrics().then(
            ({ contentType, text }) => {
              response.writeHead(200, { 'content-type': contentType });
              response.end(text);
            },
            (error: Error) => answerText(response, 500, `collecting metrics failed: ${error.message}`),
          );
        default:
          return answerText(response, 404, `not found: ${path} (try /healthz, /readyz or /metrics)`);
      }
    });
  }

  static async start(probe: HealthProbe, address: { port: number; host: string }): Promise<HealthServer> {
    const server = new HealthServer(probe);
    await listenOn(server.#server, address);
    return server;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  close(): Promise<void> {
    return closeGracefully(this.#server);
  }
}
