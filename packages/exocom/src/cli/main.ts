#!/usr/bin/env node
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { authFromJson, type ExoComAuthOptions } from '../auth.js';
import {
  ConfigError,
  formatFlowEvent,
  formatInstanceChange,
  isExoComError,
  type ServiceConfig,
  startExoCom,
} from '../index.js';
import { canColor } from './colors.js';

const usage = `Usage: exocom [--port 3100] [--host 127.0.0.1] [--config landscape.json] [--tokens tokens.json]
              [--insecure] [--public-dashboard] [--tls-cert FILE --tls-key FILE [--tls-ca FILE]]
              [--delivery-tls-ca FILE] [--delivery-tls-cert FILE --delivery-tls-key FILE]
              [--quiet]

Starts the ExoCom message bus and prints one line per message flow. The live dashboard is at
GET /dashboard, Prometheus metrics at GET /metrics.

  -p, --port PORT      port to listen on (0 = any free port)       default 3100
      --host ADDRESS   address to listen on                         default 127.0.0.1
  -c, --config FILE    landscape configuration: a JSON array of
                       { name, host, port, sends, receives, translations,
                       deliveryTls }; deliveryTls: false (plain HTTP) or
                       { caFile, servername } overrides --delivery-tls-ca
                       for that service (caFile relative to FILE)
  -t, --tokens FILE    credentials: { "services": { NAME: SECRET },
                       "admin": SECRET, "bus": SECRET,
                       "clientCertificates": { "uris": { URI: NAME } } };
                       also read from $EXOCOM_TOKENS_FILE or
                       $EXOCOM_TOKENS (the JSON itself). Never pass a
                       secret as an option. With clientCertificates
                       (needs --tls-ca), a client certificate with the
                       URI exorelay:service/NAME acts as service NAME.
      --insecure       listen on a non-loopback --host without
                       credentials (anyone who reaches it is trusted)
      --tls-cert FILE  serve HTTPS with this certificate (PEM) …
      --tls-key FILE   … and this private key (PEM)
      --tls-ca FILE    require client certificates signed by this CA (mTLS)
      --delivery-tls-ca FILE
                       deliver /run over HTTPS, trusting relays'
                       certificates this CA signed (every service
                       without its own deliveryTls in --config)
      --delivery-tls-cert FILE, --delivery-tls-key FILE
                       the client certificate the bus presents to
                       relays that require it (mTLS)
      --public-dashboard
                       serve /dashboard and /metrics without the
                       admin credential (addresses, no payloads)
      --max-in-flight-per-instance N
                       most deliveries under way to one instance    default 256
      --max-queued-per-instance N
                       most more messages held for one instance;    default 1024
                       beyond, POST /send answers 503 + retry-after
      --max-send-wait MS
                       longest POST /send waits for room at full    default 5000
                       receivers before answering 503
      --max-busy-wait MS
                       longest a message waits for instances that   default 5000
                       answer 503 before its requester gets
                       DELIVERY_FAILED
  -q, --quiet          print no flow log
  -v, --version        print the version
  -h, --help           show this help

Colours: on a terminal that supports them; NO_COLOR turns them off, FORCE_COLOR on.`;

const numericOptions = {
  'max-in-flight-per-instance': 'maxInFlightPerInstance',
  'max-queued-per-instance': 'maxQueuedPerInstance',
  'max-send-wait': 'maxSendWait',
  'max-busy-wait': 'maxBusyWait',
} as const;

/** Runs the CLI until SIGINT/SIGTERM; resolves with the exit code. */
async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseOptions>;
  try {
    args = parseOptions(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  if (args.version) {
    console.log(packageVersion());
    return 0;
  }
  const port = Number(args.port ?? '3100');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port must be a port number, got '${args.port}'`);
    return 2;
  }
  const limits: Partial<Record<(typeof numericOptions)[keyof typeof numericOptions], number>> = {};
  for (const [flag, option] of Object.entries(numericOptions)) {
    const value = args[flag as keyof typeof numericOptions];
    if (value === undefined) continue;
    if (!/^\d+$/.test(value) || Number(value) <= 0) {
      console.error(`--${flag} must be a positive integer, got '${value}'`);
      return 2;
    }
    limits[option] = Number(value);
  }
  try {
    const services = args.config === undefined ? undefined : await readLandscape(args.config);
    const auth = await readAuth(args.tokens);
    const tls = await readTls(args['tls-cert'], args['tls-key'], args['tls-ca']);
    const deliveryTls = await readDeliveryTls(
      args['delivery-tls-ca'],
      args['delivery-tls-cert'],
      args['delivery-tls-key'],
    );
    const bus = await startExoCom({
      port,
      host: args.host,
      services,
      auth,
      insecure: args.insecure,
      publicDashboard: args['public-dashboard'],
      tls,
      deliveryTls,
      ...limits,
    });
    if (!args.quiet) {
      const colors = canColor(process.stdout);
      bus.on('flow', (event) => console.log(formatFlowEvent(event, { colors })));
      bus.on('instance', (change) => console.log(formatInstanceChange(change, { colors })));
    }
    const address = `${tls === undefined ? 'http' : 'https'}://${args.host ?? '127.0.0.1'}:${bus.port}`;
    console.log(`ExoCom listening on ${address}`);
    if (!args.quiet) console.log(`Dashboard at ${address}/dashboard, metrics at ${address}/metrics`);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    await bus.close();
    return 0;
  } catch (error) {
    if (!isExoComError(error)) throw error;
    console.error(error.message);
    return 1;
  }
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      config: { type: 'string', short: 'c' },
      tokens: { type: 'string', short: 't' },
      insecure: { type: 'boolean', default: false },
      'public-dashboard': { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      'delivery-tls-ca': { type: 'string' },
      'delivery-tls-cert': { type: 'string' },
      'delivery-tls-key': { type: 'string' },
      'max-in-flight-per-instance': { type: 'string' },
      'max-queued-per-instance': { type: 'string' },
      'max-send-wait': { type: 'string' },
      'max-busy-wait': { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
    allowPositionals: false,
  }).values;
}

/** The same from `src/cli/main.ts` (tests) and `dist/cli/main.js` (installed). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

async function readLandscape(path: string): Promise<ServiceConfig[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the landscape configuration ${path}: ${(error as Error).message}`);
  }
  let services: unknown;
  try {
    services = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the landscape configuration ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return (
    Array.isArray(services) ? await Promise.all(services.map((service) => readCaFile(service, path))) : services
  ) as ServiceConfig[];
}

/** A service's `deliveryTls.caFile`, relative to the configuration file, becomes its `deliveryTls.ca`: PEM inside JSON is unwieldy. */
async function readCaFile(service: unknown, configPath: string): Promise<unknown> {
  const deliveryTls = (service as { deliveryTls?: unknown } | null)?.deliveryTls;
  if (typeof deliveryTls !== 'object' || deliveryTls === null) return service;
  const { caFile, ...rest } = deliveryTls as Record<string, unknown>;
  if (typeof caFile !== 'string') return service;
  const ca = (await read(resolve(dirname(configPath), caFile), 'certificate authority')).toString('utf8');
  return { ...(service as object), deliveryTls: { ...rest, ca } };
}

/** HTTPS from `--tls-cert` and `--tls-key`, with `--tls-ca` for client certificates; none without them. */
async function readTls(
  cert: string | undefined,
  key: string | undefined,
  ca: string | undefined,
): Promise<{ cert: Buffer; key: Buffer; ca?: Buffer } | undefined> {
  if (cert === undefined && key === undefined && ca === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new ConfigError('HTTPS needs both --tls-cert and --tls-key');
  return {
    cert: await read(cert, 'certificate'),
    key: await read(key, 'private key'),
    ...(ca === undefined ? {} : { ca: await read(ca, 'client certificate authority') }),
  };
}

/** HTTPS for `/run` from `--delivery-tls-*`; none without them. */
async function readDeliveryTls(
  ca: string | undefined,
  cert: string | undefined,
  key: string | undefined,
): Promise<{ ca?: Buffer; cert?: Buffer; key?: Buffer } | undefined> {
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError('a client certificate needs both --delivery-tls-cert and --delivery-tls-key');
  }
  return {
    ...(ca === undefined ? {} : { ca: await read(ca, 'relays’ certificate authority') }),
    ...(cert === undefined ? {} : { cert: await read(cert, 'client certificate') }),
    ...(key === undefined ? {} : { key: await read(key, 'client private key') }),
  };
}

async function read(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError(`cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}

/** Credentials from `--tokens FILE`, `$EXOCOM_TOKENS_FILE` or `$EXOCOM_TOKENS`; none when none is given. */
async function readAuth(flag: string | undefined): Promise<ExoComAuthOptions | undefined> {
  const path = flag ?? process.env.EXOCOM_TOKENS_FILE;
  if (path !== undefined && path !== '') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read the credentials file ${path}: ${(error as Error).message}`);
    }
    return authFromJson(text, `the credentials file ${path}`);
  }
  const inline = process.env.EXOCOM_TOKENS;
  return inline === undefined || inline === '' ? undefined : authFromJson(inline, '$EXOCOM_TOKENS');
}

process.exitCode = await main(process.argv.slice(2));
