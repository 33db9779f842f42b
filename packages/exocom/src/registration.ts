import {
  type EventStreamDeregistration,
  type EventStreamRegistration,
  isReservedName,
  type ServiceDeregistration,
  type ServiceRegistration,
} from '@exorelay/protocol';
import { isPort } from './landscape.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Checks the body of `POST /register`; the error texts are answered with status 400. */
export function parseRegistration(body: unknown): Parsed<ServiceRegistration | EventStreamRegistration> {
  const address = parseAddress(body, 'a registration');
  if (!address.ok) return address;
  const receives = (body as Record<string, unknown>).receives;
  if (!Array.isArray(receives) || !receives.every((name) => typeof name === 'string' && name !== '')) {
    return { ok: false, error: 'receives must be an array of message names' };
  }
  const reserved = (receives as string[]).find((name) => isReservedName(name));
  if (reserved !== undefined) {
    return {
      ok: false,
      error: `receives lists '${reserved}', a reserved name: names starting with 'exo.' belong to the protocol and no handler may take them`,
    };
  }
  return { ok: true, value: { ...address.value, receives: receives as string[] } };
}

/** Checks the body of `POST /deregister`. */
export function parseDeregistration(body: unknown): Parsed<ServiceDeregistration | EventStreamDeregistration> {
  return parseAddress(body, 'a deregistration');
}

export function isEventStreamRegistration<T extends object>(value: T): value is T & { instance: string } {
  return 'instance' in value;
}

function parseAddress(body: unknown, what: string): Parsed<ServiceDeregistration | EventStreamDeregistration> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      error: `${what} must be a JSON object { serviceName, host, port } or { serviceName, instance }`,
    };
  }
  const { serviceName, host, port, instance } = body as Record<string, unknown>;
  if (typeof serviceName !== 'string' || serviceName === '') {
    return { ok: false, error: 'serviceName must be a non-empty string' };
  }
  if (instance !== undefined) {
    if (typeof instance !== 'string' || instance === '') {
      return { ok: false, error: 'instance must be the id of an event stream (a non-empty string)' };
    }
    return { ok: true, value: { serviceName, instance } };
  }
  if (typeof host !== 'string' || host === '') return { ok: false, error: 'host must be a non-empty string' };
  if (!isPort(port)) return { ok: false, error: 'port must be a port number (1–65535)' };
  return { ok: true, value: { serviceName, host, port } };
}
