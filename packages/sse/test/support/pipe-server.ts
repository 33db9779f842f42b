import { type ExoCom, startExoCom } from 'exocom';
import type { ExoRelay } from 'exorelay';
import { type PipeResult, pipeToSSE, type SSEOptions } from '../../src/index.js';
import { type Handlers, startHttpServer, startService } from './landscape.js';

export interface PipeLandscape extends AsyncDisposable {
  bus: ExoCom;
  web: ExoRelay & { errors: Error[] };
  /** `GET {url}/NAME?timeout=MS` answers with `pipeToSSE(web.send(NAME, undefined, { timeout }))`. */
  url: string;
  /** What each `pipeToSSE` call resolved with, in order of completion. */
  results: PipeResult[];
}

/** ExoCom, a `backend` service with `handlers`, and an API server whose every route pipes a reply stream. */
export async function startPipeLandscape(handlers: Handlers, options: SSEOptions = {}): Promise<PipeLandscape> {
  const bus = await startExoCom({ port: 0 });
  const backend = await startService(bus, 'backend', handlers);
  const web = await startService(bus, 'web');
  const results: PipeResult[] = [];
  const { server, url } = await startHttpServer((request, response) => {
    const target = new URL(request.url ?? '/', 'http://localhost');
    const timeout = target.searchParams.has('timeout') ? Number(target.searchParams.get('timeout')) : undefined;
    const stream = web.send(decodeURIComponent(target.pathname.slice(1)), undefined, { timeout });
    void pipeToSSE(stream, response, options).then((result) => results.push(result));
  });
  return {
    bus,
    web,
    url,
    results,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      server.close();
      await Promise.all([web.close(), backend.close()]);
      await bus.close();
    },
  };
}
