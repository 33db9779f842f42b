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
  services?: Record<string, string>;
  /** The secret that may replace the landscape (`POST /services`) and read the dashboard and metrics. */
  admin?: string;
  /** The secret the bus presents to relays on `POST /run/NAME` and health checks. */
  bus?: string;
  /**
   * Authenticate services by their client certificate too (needs `tls.ca`): a certificate with
   * the subject alternative name `URI:exorelay:service/NAME` acts as service NAME, as its token
   * would. Never the admin. See docs/security.md.
   * @example clientCertificates: { uris: { 'spiffe://example.org/ns/prod/sa/users': 'users' } }
   */
  clientCertificates?: ClientCertificateOptions;
}

/** How client certificates name services. */
export interface ClientCertificateOptions {
  /** More URIs (SPIFFE ids, say) → the service each names, besides `exorelay:service/NAME`. */
  uris?: Record<string, string>;
}

/** What a request presents: its `authorization` header, and the URIs of its verified client certificate. */
export interface PresentedCredentials {
  authorization: string | string[] | undefined;
  /** Read only when certificates authenticate: the URI subject alternative names, `[]` without a certificate. */
  certificateUris(): readonly string[];
}

/** The URI prefix by which a client certificate names its service. */
const SERVICE_URI_PREFIX = 'exorelay:service/';

/** Who made a request, as far as its credential tells. */
export type Caller =
  /** The bus runs without credentials: everybody may do everything (loopback only). */
  | { kind: 'open' }
  | { kind: 'anonymous' }
  | { kind: 'service'; service: string }
  | { kind: 'admin' }
  /** Its client certificate and its token disagree (or the certificate names several services): refused. */
  | { kind: 'contradictory'; reason: string };

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
  /** Certificate URI → service, for URIs outside `exorelay:service/`; `undefined` when certificates do not authenticate. */
  readonly #certificateUris: ReadonlyMap<string, string> | undefined;
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
    const uris = checked?.clientCertificates?.uris;
    this.#certificateUris = checked?.clientCertificates === undefined ? undefined : new Map(Object.entries(uris ?? {}));
  }

  /** Whether a verified client certificate can name the service a request acts for. */
  get certificatesAuthenticate(): boolean {
    return this.#certificateUris !== undefined;
  }

  /**
   * The caller a request's credentials name: its token, its client certificate, or both when
   * they agree. Every secret is compared, so timing tells nothing.
   */
  identify(credentials: PresentedCredentials): Caller {
    if (!this.enabled) return { kind: 'open' };
    const token = bearerToken(credentials.authorization);
    const byToken = this.#identifyToken(token);
    const named = this.#certificateUris === undefined ? [] : this.#servicesNamedBy(credentials.certificateUris());
    if (named.length === 0) return byToken;
    if (named.length > 1) {
      return { kind: 'contradictory', reason: `the client certificate names several services: ${named.join(', ')}` };
    }
    const service = named[0]!;
    if (token === undefined || (byToken.kind === 'service' && byToken.service === service)) {
      return { kind: 'service', service };
    }
    return {
      kind: 'contradictory',
      reason: `the client certificate names '${service}', but the token is ${byToken.kind === 'anonymous' ? 'not a valid credential' : describe(byToken)}`,
    };
  }

  /** Refuses unless `caller` is `service` (or the bus is open). */
  refuseUnlessService(caller: Caller, service: string, action: string): AuthRefusal | undefined {
    if (caller.kind === 'open') return undefined;
    if (caller.kind === 'anonymous') return unauthenticated(action);
    if (caller.kind === 'contradictory') return contradicted(caller, action);
    if (caller.kind === 'service' && caller.service === service) return undefined;
    return { status: 403, text: `${describe(caller)} may not ${action} as '${service}'` };
  }

  /** Refuses unless `caller` holds the admin credential (or the bus is open). */
  refuseUnlessAdmin(caller: Caller, action: string): AuthRefusal | undefined {
    if (caller.kind === 'open' || caller.kind === 'admin') return undefined;
    if (caller.kind === 'anonymous') return unauthenticated(action);
    if (caller.kind === 'contradictory') return contradicted(caller, action);
    return { status: 403, text: `${describe(caller)} may not ${action}: it needs the admin credential` };
  }

  #identifyToken(token: string | undefined): Caller {
    if (token === undefined) return { kind: 'anonymous' };
    let caller: Caller = { kind: 'anonymous' };
    if (this.#admin?.matches(token)) caller = { kind: 'admin' };
    for (const { name, secret } of this.#services) {
      if (secret.matches(token)) caller = { kind: 'service', service: name };
    }
    return caller;
  }

  /** The distinct services a certificate's URIs name. */
  #servicesNamedBy(uris: readonly string[]): string[] {
    const services = new Set<string>();
    for (const uri of uris) {
      const service = uri.startsWith(SERVICE_URI_PREFIX)
        ? uri.slice(SERVICE_URI_PREFIX.length)
        : this.#certificateUris?.get(uri);
      if (service !== undefined && service !== '') services.add(service);
    }
    return [...services];
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
    throw new ConfigError('must be an object { services: { NAME: SECRET }, admin?, bus?, clientCertificates? }', path);
  }
  const { services = {}, admin, bus, clientCertificates } = value as Record<string, unknown>;
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
    ...(clientCertificates === undefined
      ? {}
      : { clientCertificates: checkClientCertificates(clientCertificates, `${path}.clientCertificates`) }),
  };
}

function checkClientCertificates(value: unknown, path: string): ClientCertificateOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('must be an object { uris?: { URI: SERVICE } }', path);
  }
  const { uris } = value as Record<string, unknown>;
  if (uris === undefined) return {};
  if (typeof uris !== 'object' || uris === null || Array.isArray(uris)) {
    throw new ConfigError('must be an object mapping certificate URIs to service names', `${path}.uris`);
  }
  for (const [uri, service] of Object.entries(uris)) {
    if (typeof service !== 'string' || service === '') {
      throw new ConfigError('must be a service name', `${path}.uris.${uri}`);
    }
  }
  return { uris: { ...(uris as Record<string, string>) } };
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

function contradicted(caller: { reason: string }, action: string): AuthRefusal {
  return { status: 403, text: `may not ${action}: ${caller.reason}` };
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
