/**
 * Delivery over Server-Sent Events: an instance that cannot listen reads `GET /events` from the
 * bus instead of taking `POST /run/NAME`. Relay and bus build and read the query here, so
 * both ends agree on it.
 */
export const EVENTS_PATH = '/events';

/** Who reads an event stream and what it receives. */
export interface EventStreamQuery {
  /** The service the instance belongs to. */
  serviceName: string;
  /** The message names the instance handles now. */
  receives: readonly string[];
  /** The id the bus gave the instance on an earlier connect, to resume it. */
  instance?: string;
}

/** `GET /events?service=NAME&receives=A&receives=B[&instance=ID]`: one `receives` per name. */
export function eventStreamPath(query: EventStreamQuery): string {
  const search = new URLSearchParams({ service: query.serviceName });
  if (query.instance !== undefined) search.set('instance', query.instance);
  for (const name of query.receives) search.append('receives', name);
  return `${EVENTS_PATH}?${search}`;
}

/** Reads the query of `GET /events`; the error texts are answered with status 400. */
export function parseEventStreamQuery(
  search: URLSearchParams,
): { ok: true; query: EventStreamQuery } | { ok: false; error: string } {
  const serviceName = search.get('service');
  if (serviceName === null || serviceName === '') {
    return { ok: false, error: 'missing service: GET /events?service=NAME&receives=NAME…' };
  }
  const receives = search.getAll('receives');
  if (receives.includes('')) return { ok: false, error: 'receives must name a message: receives=NAME, once per name' };
  const instance = search.get('instance');
  if (instance === '') return { ok: false, error: 'instance must be the id of an event stream' };
  return { ok: true, query: { serviceName, receives, ...(instance === null ? {} : { instance }) } };
}

/**
 * `POST /register` of an event-stream instance: it names itself by the id the bus gave it (the
 * `exorelay-instance` header of its stream) instead of `host` and `port`.
 */
export interface EventStreamRegistration {
  serviceName: string;
  instance: string;
  receives: string[];
}

/** `POST /deregister` of an event-stream instance. */
export interface EventStreamDeregistration {
  serviceName: string;
  instance: string;
}
