import { ConfigError } from './errors.js';

/** How a service connects and where it listens, resolved from flags, the environment and defaults. */
export interface RunnerConfiguration {
  /** Overrides the definition's and the manifest's name; undefined leaves theirs. */
  serviceName: string | undefined;
  exocomHost: string;
  exocomPort: number;
  /**
   * The service's credential for an ExoCom with `auth` (`EXOCOM_TOKEN`). Read from the
   * environment only: a secret on a command line is visible to every user of the machine.
   */
  exocomToken: string | undefined;
  /** The bus's credential (`EXOCOM_BUS_TOKEN`): `POST /run/NAME` without it is refused with 401. */
  busToken: string | undefined;
  /** The address the relay and the health server bind. */
  host: string;
  /** The relay's port for HTTP delivery; 0 picks a free one. */
  port: number;
  /** Port of the health and metrics server; 0 picks a free one. */
  healthPort: number;
  /** How ExoCom delivers messages: `POST /run/NAME` to `port`, or an event stream the service opens. */
  delivery: 'http' | 'sse';
  /** `nats` runs the same service over NATS instead of ExoCom. */
  transport: 'exocom' | 'nats';
  natsUrl: string | undefined;
  /**
   * NATS credentials and TLS from the environment only (`NATS_TOKEN`, `NATS_USER` and
   * `NATS_PASSWORD`, `NATS_CA_FILE`, `NATS_CERT_FILE` and `NATS_KEY_FILE`), passed to the nats.js client.
   */
  natsConnection: NatsConnectionSettings;
  /** How long shutdown waits for running handlers, in ms. */
  drainTimeout: number;
}

/** What `EXORELAY_TRANSPORT=nats` hands the nats.js client besides `servers`. */
export interface NatsConnectionSettings {
  token?: string;
  user?: string;
  pass?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/** The command-line flags of `exoservice run`; each overrides its environment variable. */
export interface RunnerFlags {
  name?: string;
  'exocom-host'?: string;
  'exocom-port'?: string;
  host?: string;
  port?: string;
  'health-port'?: string;
  delivery?: string;
  transport?: string;
  'nats-url'?: string;
  'drain-timeout'?: string;
}

/**
 * Reads the settings: a flag wins over its environment variable, which wins over the default.
 * Throws a {@link ConfigError} naming the setting and what is wrong with it.
 *
 * | flag              | variable             | default     |
 * | ----------------- | -------------------- | ----------- |
 * | --name            | SERVICE_NAME         | the module's |
 * | --exocom-host     | EXOCOM_HOST          | 127.0.0.1   |
 * | --exocom-port     | EXOCOM_PORT          | 3100        |
 * | (none: a secret)  | EXOCOM_TOKEN         | —           |
 * | (none: a secret)  | EXOCOM_BUS_TOKEN     | —           |
 * | --host            | HOST                 | 127.0.0.1   |
 * | --port            | PORT                 | 0           |
 * | --health-port     | HEALTH_PORT          | 0           |
 * | --delivery        | EXORELAY_DELIVERY    | http        |
 * | --transport       | EXORELAY_TRANSPORT   | exocom      |
 * | --nats-url        | NATS_URL             | —           |
 * | (none: secrets)   | NATS_TOKEN, NATS_USER, NATS_PASSWORD | — |
 * | (none)            | NATS_CA_FILE, NATS_CERT_FILE, NATS_KEY_FILE | — |
 * | --drain-timeout   | DRAIN_TIMEOUT        | 10000       |
 */
export function resolveConfiguration(
  flags: RunnerFlags,
  environment: Record<string, string | undefined>,
): RunnerConfiguration {
  const setting = (flag: keyof RunnerFlags, variable: string) => {
    const fromFlag = flags[flag];
    if (fromFlag !== undefined) return { value: fromFlag, source: `--${flag}` };
    const fromEnvironment = environment[variable];
    return fromEnvironment === undefined || fromEnvironment === ''
      ? undefined
      : { value: fromEnvironment, source: variable };
  };
  const transport = oneOf(setting('transport', 'EXORELAY_TRANSPORT'), ['exocom', 'http', 'nats'], 'exocom');
  const natsUrl = setting('nats-url', 'NATS_URL')?.value;
  if (transport === 'nats' && natsUrl === undefined) {
    throw new ConfigError(
      'EXORELAY_TRANSPORT=nats needs NATS_URL (or --nats-url), e.g. nats://127.0.0.1:4222',
      'NATS_URL',
    );
  }
  const name = setting('name', 'SERVICE_NAME');
  if (name !== undefined && !/^[\w.-]+$/.test(name.value)) {
    throw new ConfigError(
      `${name.source} must be a service name (letters, digits, '.', '_', '-'), got '${name.value}'`,
    );
  }
  return {
    serviceName: name?.value,
    exocomHost: setting('exocom-host', 'EXOCOM_HOST')?.value ?? '127.0.0.1',
    exocomPort: port(setting('exocom-port', 'EXOCOM_PORT'), 3100, { allowZero: false }),
    exocomToken: secret(environment.EXOCOM_TOKEN),
    busToken: secret(environment.EXOCOM_BUS_TOKEN),
    host: setting('host', 'HOST')?.value ?? '127.0.0.1',
    port: port(setting('port', 'PORT'), 0, { allowZero: true }),
    healthPort: port(setting('health-port', 'HEALTH_PORT'), 0, { allowZero: true }),
    delivery: oneOf(setting('delivery', 'EXORELAY_DELIVERY'), ['http', 'sse'], 'http'),
    transport: transport === 'http' ? 'exocom' : transport,
    natsUrl,
    natsConnection: natsConnectionOf(environment),
    drainTimeout: milliseconds(setting('drain-timeout', 'DRAIN_TIMEOUT'), 10_000),
  };
}

type Setting = { value: string; source: string } | undefined;

function natsConnectionOf(environment: Record<string, string | undefined>): NatsConnectionSettings {
  const token = secret(environment.NATS_TOKEN);
  const user = secret(environment.NATS_USER);
  const pass = secret(environment.NATS_PASSWORD);
  const tlsFiles = {
    caFile: secret(environment.NATS_CA_FILE),
    certFile: secret(environment.NATS_CERT_FILE),
    keyFile: secret(environment.NATS_KEY_FILE),
  };
  const tls = Object.fromEntries(Object.entries(tlsFiles).filter(([, file]) => file !== undefined));
  return {
    ...(token === undefined ? {} : { token }),
    ...(user === undefined ? {} : { user }),
    ...(pass === undefined ? {} : { pass }),
    ...(Object.keys(tls).length === 0 ? {} : { tls }),
  };
}

function secret(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function port(setting: Setting, fallback: number, { allowZero }: { allowZero: boolean }): number {
  if (setting === undefined) return fallback;
  const value = Number(setting.value);
  const lowest = allowZero ? 0 : 1;
  if (!/^\d+$/.test(setting.value) || value < lowest || value > 65_535) {
    throw new ConfigError(
      `${setting.source} must be a port number (${lowest}–65535), got '${setting.value}'`,
      setting.source,
    );
  }
  return value;
}

function milliseconds(setting: Setting, fallback: number): number {
  if (setting === undefined) return fallback;
  const value = Number(setting.value);
  if (!/^\d+$/.test(setting.value) || value <= 0) {
    throw new ConfigError(`${setting.source} must be a positive number of ms, got '${setting.value}'`, setting.source);
  }
  return value;
}

function oneOf<const T extends string>(setting: Setting, allowed: readonly T[], fallback: T): T {
  if (setting === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(setting.value)) {
    throw new ConfigError(
      `${setting.source} must be ${allowed.map((value) => `'${value}'`).join(' or ')}, got '${setting.value}'`,
      setting.source,
    );
  }
  return setting.value as T;
}
