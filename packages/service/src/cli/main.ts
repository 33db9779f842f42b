#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  type ExoServiceError,
  InvalidDefinitionError,
  isExoServiceError,
  loadService,
  type RunnerFlags,
  type RunningService,
  readManifest,
  resolveConfiguration,
  scaffoldService,
  startService,
} from '../index.js';

const usage = `Usage: exoservice run [FILE] [options]
       exoservice new NAME [--dir FOLDER]

run   starts the service that FILE exports (defineService), TypeScript or JavaScript. Without
      FILE, reads "main" from ./service.yml or the "exoservice" field of ./package.json.
new   writes a new service into ./NAME (or FOLDER): contracts, a handler, a test, tsconfig.

Options of run (each overrides its environment variable):
      --name NAME           SERVICE_NAME         the service's name on the bus
      --exocom-host HOST    EXOCOM_HOST          default 127.0.0.1
      --exocom-port PORT    EXOCOM_PORT          default 3100
      --host ADDRESS        HOST                 address to bind, default 127.0.0.1
      --port PORT           PORT                 message port (HTTP delivery), default any free
      --health-port PORT    HEALTH_PORT          /healthz /readyz /metrics, default any free
      --delivery MODE       EXORELAY_DELIVERY    http or sse, default http
      --transport KIND      EXORELAY_TRANSPORT   exocom or nats, default exocom
      --nats-url URL        NATS_URL             with --transport nats
      --drain-timeout MS    DRAIN_TIMEOUT        shutdown waits this long for handlers, default 10000
  -h, --help                show this help

SIGTERM or SIGINT stops receiving, lets running handlers finish, runs afterAll and exits 0;
a second signal exits at once. Exit 2: invalid configuration; exit 1: the service failed.`;

const flagOptions = {
  name: { type: 'string' },
  'exocom-host': { type: 'string' },
  'exocom-port': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'health-port': { type: 'string' },
  delivery: { type: 'string' },
  transport: { type: 'string' },
  'nats-url': { type: 'string' },
  'drain-timeout': { type: 'string' },
  dir: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Runs a command; resolves with the exit code. `run` resolves only when the service stopped. */
async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    return fail(2, `${(error as Error).message} (exoservice --help shows the options)`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  try {
    if (command === 'run') return await run(rest[0], values);
    if (command === 'new') return await create(rest[0], values.dir);
    return fail(2, `unknown command '${command}': use run or new`);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InvalidDefinitionError) return fail(2, error.message);
    if (isExoServiceError(error)) return failWithCause(error);
    throw error;
  }
}

async function run(file: string | undefined, flags: RunnerFlags): Promise<number> {
  const configuration = resolveConfiguration(flags, process.env);
  const manifest = await readManifest(process.cwd());
  const main = file === undefined ? manifest?.main : resolve(file);
  if (main === undefined) {
    throw new ConfigError(
      'no service module: exoservice run ./src/service.ts, or "main" in service.yml or package.json',
    );
  }
  const definition = await loadService(main);
  // Listening before the service starts: a SIGTERM during beforeAll stops it once it is up.
  const signals = watchSignals();
  const service = await startService(definition, { ...configuration, manifest });
  signals.attach(service);
  console.log(readyLine(service));
  const signal = await signals.first;
  console.log(`${service.serviceName}: ${signal}, stopping (send it again to exit at once)`);
  try {
    await service.stop();
    return 0;
  } catch (error) {
    return isExoServiceError(error) ? failWithCause(error) : fail(1, String(error));
  }
}

/** The first SIGTERM/SIGINT resolves `first`; a second one exits at once (143 or 130). */
function watchSignals() {
  let received = 0;
  let resolveFirst: (signal: NodeJS.Signals) => void = () => {};
  let running: RunningService | undefined;
  const first = new Promise<NodeJS.Signals>((resolveSignal) => {
    resolveFirst = resolveSignal;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) return resolveFirst(signal);
    running?.abort();
    console.error(`exoservice: ${signal} again, exiting without waiting`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
  return {
    first,
    /** The service whose `ctx.signal`s a second signal aborts before the process exits. */
    attach(service: RunningService) {
      running = service;
    },
  };
}

async function create(name: string | undefined, dir: string | undefined): Promise<number> {
  if (name === undefined) return fail(2, 'exoservice new needs a NAME: exoservice new greeter');
  const folder = resolve(dir ?? name);
  const files = await scaffoldService({ name, folder });
  console.log(`created ${name} in ${folder}:\n${files.map((file) => `  ${file}`).join('\n')}`);
  console.log(`\nnext: cd ${dir ?? name} && npm install && npx exoservice run`);
  return 0;
}

function readyLine(service: RunningService): string {
  const messages = service.port === undefined ? 'messages over its transport' : `messages on port ${service.port}`;
  return `${service.serviceName} ready: ${messages}, /healthz /readyz /metrics on port ${service.healthPort}`;
}

function parseCommandLine(argv: string[]) {
  return parseArgs({ args: argv, options: flagOptions, allowPositionals: true, strict: true });
}

function fail(code: number, message: string): number {
  console.error(`exoservice: ${message}`);
  return code;
}

function failWithCause(error: ExoServiceError): number {
  const cause = error.cause instanceof Error ? `\n${error.cause.stack}` : '';
  return fail(1, `${error.message}${cause}`);
}

process.exit(await main(process.argv.slice(2)));
