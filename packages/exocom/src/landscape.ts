import { ConfigError } from './errors.js';
import { NameTranslator, type Translation } from './translation.js';

/**
 * One service of a landscape configuration, as in the original ExoCom (`POST /services`,
 * `exocom --config landscape.json`). With `host` and `port` it also declares an instance the bus
 * delivers to without waiting for it to register; without them it only names the service's
 * translations, for instances that register themselves.
 *
 * @example
 * { name: 'users', host: '127.0.0.1', port: 4001, sends: ['users.created'], receives: ['users.create'] }
 */
export interface ServiceConfig {
  name: string;
  /** Host of the configured instance. */
  host?: string;
  /** Port of the configured instance. */
  port?: number;
  /** Names the service sends; shown in `/status`. */
  sends?: string[];
  /** Names the configured instance handles, as the service knows them (internal names). */
  receives?: string[];
  /** Renamings between the landscape's names and the service's own. */
  translations?: Translation[];
  /**
   * How the bus reaches this service's instances (`POST /run/NAME`), instead of the bus's
   * `deliveryTls`: `false` for plain HTTP, or HTTPS trusting `ca` (PEM text; default: the bus's
   * `deliveryTls.ca`) and checking the certificate against `servername` (default: the instance's
   * host). The bus presents the client certificate of its own `deliveryTls`.
   * @example deliveryTls: { ca: '-----BEGIN CERTIFICATE-----\n…', servername: 'users.internal' }
   */
  deliveryTls?: ServiceDeliveryTls;
}

/** A service's own delivery setting: `false` for plain HTTP, or HTTPS with its own CA and server name. */
export type ServiceDeliveryTls = false | { ca?: string; servername?: string };

/** A checked service configuration, with every list present. */
export interface ParsedServiceConfig {
  name: string;
  instance: { host: string; port: number } | undefined;
  sends: string[];
  receives: string[];
  translator: NameTranslator;
  /** `undefined`: the bus's `deliveryTls`. */
  deliveryTls: ServiceDeliveryTls | undefined;
}

/**
 * Checks a landscape configuration (the body of `POST /services` or a `--config` file) and
 * throws a `ConfigError` naming the first problem (`services[1].port must be a port number`).
 */
export function parseLandscape(value: unknown): ParsedServiceConfig[] {
  if (!Array.isArray(value)) {
    throw new ConfigError('a landscape configuration must be a JSON array of services: [{ name, host, port, … }]');
  }
  return value.map((service, index) => parseService(service, `services[${index}]`));
}

function parseService(value: unknown, path: string): ParsedServiceConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('must be an object with at least a name', path);
  }
  const fields = value as Record<string, unknown>;
  if (typeof fields.name !== 'string' || fields.name === '') {
    throw new ConfigError('must be a non-empty string', `${path}.name`);
  }
  return {
    name: fields.name,
    instance: parseInstance(fields, path),
    sends: parseNames(fields.sends, `${path}.sends`),
    receives: parseNames(fields.receives, `${path}.receives`),
    translator: new NameTranslator(
      parseTranslations(fields.translations, `${path}.translations`),
      `${path}.translations`,
    ),
    deliveryTls: parseDeliveryTls(fields.deliveryTls, `${path}.deliveryTls`),
  };
}

function parseDeliveryTls(value: unknown, path: string): ServiceDeliveryTls | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('must be false (plain HTTP) or { ca?, servername? }', path);
  }
  const { ca, servername, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    // A private key has no place in a landscape that travels over POST /services.
    throw new ConfigError(
      `takes only ca and servername, not '${unknown}': the bus's client certificate is its own deliveryTls`,
      path,
    );
  }
  if (ca !== undefined && !(typeof ca === 'string' && ca.includes('-----BEGIN CERTIFICATE-----'))) {
    throw new ConfigError('must be PEM text: -----BEGIN CERTIFICATE----- …', `${path}.ca`);
  }
  if (servername !== undefined && !(typeof servername === 'string' && servername !== '')) {
    throw new ConfigError('must be a non-empty host name', `${path}.servername`);
  }
  return {
    ...(ca === undefined ? {} : { ca: ca as string }),
    ...(servername === undefined ? {} : { servername: servername as string }),
  };
}

function parseInstance(fields: Record<string, unknown>, path: string): ParsedServiceConfig['instance'] {
  if (fields.host === undefined && fields.port === undefined) return undefined;
  if (typeof fields.host !== 'string' || fields.host === '') {
    throw new ConfigError('must be a non-empty string when a port is given', `${path}.host`);
  }
  if (!isPort(fields.port)) throw new ConfigError('must be a port number (1–65535)', `${path}.port`);
  return { host: fields.host, port: fields.port };
}

function parseNames(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && name !== '')) {
    throw new ConfigError('must be an array of message names', path);
  }
  return [...new Set(value as string[])];
}

function parseTranslations(value: unknown, path: string): Translation[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError('must be an array of { public, internal }', path);
  return value.map((translation, index) => {
    if (typeof translation !== 'object' || translation === null) {
      throw new ConfigError('must be an object { public, internal }', `${path}[${index}]`);
    }
    return translation as Translation;
  });
}

export function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) <= 65_535;
}
