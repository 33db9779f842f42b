import { bearerToken, Secret } from '@exorelay/protocol/node';
import { ConfigError } from './errors.js';

/**
 * The bus's credentials. Each service presents its own as `authorization: Bearer TOKEN` on every
 * request; the bus presents `bus` to relays on `POST /run/NAME`; `admin` may change the landscape.
 * Keep them out of command lines: read them from a file or the environment.
 *
 * @example
 * auth: { services: { users: process.env.USERS_TOKEN!, web: process.env.WEB_TOKEN! }, admin: process.env.ADMIN_TOKEN, bus: process.env.BUS_TOKEN }
 */
export interface ExoComAuthOptions {
  /** Service name → the secret its relays present. */
  services: Record<string, string>;
  /** The secret that may replace the landscape (`POST /services`) and read the dashboard and metrics. */
  admin?: string;
  /** The secret the bus presents to relays on `POST /run/NAME` and health checks. */
  bus?: string;
}

/** Who made a request, as far as its credential tells. */
export type Caller =
  /** The bus runs without credentials: everybody may do everything (loopback only). */
  { kind: 'open' } | { kind: 'anonymous' } | { kind: 'service'; service: string } | { kind: 'admin' };

/** A refusal, answered as is. */
export interface AuthRefusal {
  status: 401 | 403;
  text: string;
}

/** Shortest secret accepted: a guessable secret protects nothing. */
const MIN_SECRET_LENGTH = 16;

/** Resolves credentials to callers and says what each caller may do. */
export class BusAuth {
  readonly #services: { name: string; secret: Secret }[];
  readonly #admin: Secret | undefined;
  readonly bus: string | undefined;
  readonly enabled: boolean;

  constructor(options: ExoComAuthOptions | undefined) {
    this.enabled = options !== undefined;
    const checked = options === undefined ? undefined : checkAuthOptions(options);
    this.#services = Object.entries(checked?.services ?? {}).map(([name, secret]) => ({
      name,
      secret: new Secret(secret),
    }));
    this.#admin = checked?.admin === undefined ? undefined : new Secret(checked.admin);
    this.bus = checked?.bus;
  }

  /** The caller an `authorization` header names. Every secret is compared, so timing tells nothing. */
  identify(header: string | string[] | undefined): Caller {
    if (!this.enabled) return { kind: 'open' };
    const token = bearerToken(header);
    if (token === undefined) return { kind: 'anonymous' };
    let caller: Caller = { kind: 'anonymous' };
    if (this.#admin?.matches(token)) caller = { kind: 'admin' };
    for (const { name, secret } of this.#services) {
      if (secret.matches(token)) caller = { kind: 'service', service: name };
    }
    return caller;
  }

  /** Refuses unless `caller` is `service` (or the bus is open). */
  refuseUnlessService(caller: Caller, service: string, action: string): AuthRefusal | undefined {
    if (caller.kind === 'open') return undefined;
    if (caller.kind === 'anonymous') return unauthenticated(action);
    if (caller.kind === 'service' && caller.service === service) return undefined;
    return { status: 403, text: `${describe(caller)} may not ${action} as '${service}'` };
  }

  /** Refuses unless `caller` holds the admin credential (or the bus is open). */
  refuseUnlessAdmin(caller: Caller, action: string): AuthRefusal | undefined {
    if (caller.kind === 'open' || caller.kind === 'admin') return undefined;
    if (caller.kind === 'anonymous') return unauthenticated(action);
    return { status: 403, text: `${describe(caller)} may not ${action}: it needs the admin credential` };
  }
}

/** Whether an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Checks credentials read from a file or the environment; `source` names it in errors, never the secrets. */
export function authFromJson(text: string, source: string): ExoComAuthOptions {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not JSON: ${(error as Error).message}`);
  }
  return checkAuthOptions(value, source);
}

function checkAuthOptions(value: unknown, path = 'auth'): ExoComAuthOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('must be an object { services: { NAME: SECRET }, admin?, bus? }', path);
  }
  const { services, admin, bus } = value as Record<string, unknown>;
  if (typeof services !== 'object' || services === null || Array.isArray(services)) {
    throw new ConfigError('must be an object mapping each service name to its secret', `${path}.services`);
  }
  const secrets = new Map<string, string>();
  for (const [name, secret] of Object.entries(services)) {
    checkSecret(secret, `${path}.services.${name}`);
    secrets.set(name, secret as string);
  }
  if (admin !== undefined) checkSecret(admin, `${path}.admin`);
  if (bus !== undefined) checkSecret(bus, `${path}.bus`);
  const all = [...secrets.values(), admin, bus].filter((secret) => secret !== undefined);
  if (new Set(all).size !== all.length) {
    throw new ConfigError('every service, the admin and the bus need secrets of their own', path);
  }
  return {
    services: Object.fromEntries(secrets),
    ...(admin === undefined ? {} : { admin: admin as string }),
    ...(bus === undefined ? {} : { bus: bus as string }),
  };
}

function checkSecret(secret: unknown, path: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || /\s/.test(secret)) {
    // The secret itself is never part of the message: messages end up in logs.
    throw new ConfigError(`must be a secret of at least ${MIN_SECRET_LENGTH} characters without spaces`, path);
  }
}

function unauthenticated(action: string): AuthRefusal {
  return { status: 401, text: `${action} needs a credential: send 'authorization: Bearer TOKEN'` };
}

function describe(caller: Caller): string {
  switch (caller.kind) {
    case 'service':
      return `the credential of '${caller.service}'`;
    case 'admin':
      return 'the admin credential';
    default:
      return 'this caller';
  }
}
