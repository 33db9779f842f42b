/**
 * HTTP floor, one hop: a bare node:http server driven by a bare undici Pool. A request is one
 * POST whose answer is the reply; an event is one POST the server answers once it counted it.
 * No bus, no envelopes, no routing: the least one HTTP exchange of the same JSON costs here.
 */
import type { OrderPlaced } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import type { Rig } from '../harness/rig.js';
import { closeServer, listen, poolTo, post, readText } from './http-support.js';

/** Same pool size as ExoRelay's HTTP transport. */
const connections = 32;

export async function startRawUndiciHttp(): Promise<Rig> {
  const deliveries = new DeliveryCounter();
  const { server, port } = await listen(async (request, response) => {
    const payload: unknown = JSON.parse(await readText(request));
    if (request.url === '/event') {
      deliveries.add();
      response.end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(payload));
  });
  const pool = poolTo(port, connections);
  return {
    deliveries,
    async send(payload: OrderPlaced) {
      await post(pool, '/event', JSON.stringify(payload));
    },
    async request(payload: OrderPlaced) {
      return JSON.parse(await post(pool, '/echo', JSON.stringify(payload)));
    },
    async [Symbol.asyncDispose]() {
      await pool.close();
      await closeServer(server);
    },
  };
}
