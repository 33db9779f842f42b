/**
 * HTTP floor, one hop: a bare node:http server driven by a bare undici Pool. A request is one
 * POST whose answer is the reply; an event is one POST the server answers once it counted it.
 * No bus, no envelopes, no routing: the least one HTTP exchange of the same JSON costs here.
 */
import type { OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import { type Placement, type Rig, singleService, wholeTopology } from '../harness/rig.js';
import { closeServer, listen, poolTo, post, readText } from './http-support.js';

/** Same pool size as ExoRelay's HTTP transport. */
const connections = 32;

/**
 * The server if `placement` has an echo instance, the client if it has the client; a client
 * without a server here drives the one at `serverPort`.
 */
export async function startRawUndiciHttp(
  placement: Placement = wholeTopology(singleService),
  serverPort?: number,
): Promise<Rig> {
  const deliveries = new DeliveryCounter();
  const server =
    placement.echoInstances > 0
      ? await listen(async (request, response) => {
          const payload: unknown = JSON.parse(await readText(request));
          if (request.url === '/event') {
            deliveries.add();
            response.end();
            return;
          }
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify(payload));
        })
      : undefined;
  const port = server?.port ?? serverPort;
  const pool = placement.client && port !== undefined ? poolTo(port, connections) : undefined;
  const thePool = () => {
    if (pool === undefined) throw new Error('this process runs no client');
    return pool;
  };
  return {
    deliveries,
    ports: server === undefined ? [] : [server.port],
    async send(payload: OrderPlaced) {
      await post(thePool(), '/event', JSON.stringify(payload));
    },
    async request(payload: OrderPlaced) {
      return JSON.parse(await post(thePool(), '/echo', JSON.stringify(payload)));
    },
    async [Symbol.asyncDispose]() {
      await pool?.close();
      if (server !== undefined) await closeServer(server.server);
    },
  };
}
