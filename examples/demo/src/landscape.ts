import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { filesService } from '@exorelay/example-files';
import { parseReadyLine } from '@exorelay/example-runtime';
import { usersService } from '@exorelay/example-users';
import { WebServer } from '@exorelay/example-web';
import { type ServiceLog, startService } from '@exorelay/service';
import { formatFlowEvent, formatInstanceChange, startExoCom } from 'exocom';

/** The running demo landscape: where the web server is, and how to stop everything. */
export interface Landscape extends AsyncDisposable {
  webPort: number;
  /** The bus: its dashboard is at /dashboard. */
  exocomPort: number;
  /** Each service's credential for the bus, `clients` included, by service name. */
  tokens: Record<string, string>;
  /** The bus's own credential, which relays require on `/run`. */
  busToken: string;
}

export interface LandscapeOptions {
  /** The folder the files service serves. */
  filesRoot: string;
  /** Receives the bus's flow log, one line at a time. */
  log: (line: string) => void;
  colors: boolean;
  /** Pause between copy progress replies, so the progress bar can be watched. */
  progressPace: number;
  /** More services that get a credential (a test's client), besides users, files and web. */
  clients?: string[];
}

/**
 * Credentials drawn at start: the bus only takes each service's requests with its own token and
 * presents `bus` on `/run`, so nothing else on the machine can act as a service.
 */
function drawCredentials(clients: string[] = []) {
  const secret = () => randomBytes(24).toString('base64url');
  const services = ['users', 'files', 'web', ...clients].map((name) => [name, secret()] as const);
  return { services: Object.fromEntries(services) as Record<string, string>, admin: secret(), bus: secret() };
}

type Credentials = ReturnType<typeof drawCredentials>;

function serviceToken(credentials: Credentials, service: string): string {
  const token = credentials.services[service];
  if (token === undefined) throw new Error(`the demo drew no credential for '${service}'`);
  return token;
}

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * ExoCom and the three services in this process: quick, and one debugger sees everything. The
 * users and files service modules start as `exoservice run` would start them.
 */
export async function startInProcess(options: LandscapeOptions): Promise<Landscape> {
  const credentials = drawCredentials(options.clients);
  // On loopback, for the visitor's browser: the dashboard shows addresses, never payloads.
  const bus = await startExoCom({ port: 0, auth: credentials, publicDashboard: true });
  bus.on('flow', (event) => options.log(formatFlowEvent(event, { colors: options.colors })));
  bus.on('instance', (change) => options.log(formatInstanceChange(change, { colors: options.colors })));
  const connection = { exocomPort: bus.port, exocomHost: '127.0.0.1' };
  const log = serviceLog(options.log);
  const [users, files] = await Promise.all([
    startService(usersService, {
      ...connection,
      log,
      exocomToken: serviceToken(credentials, 'users'),
      busToken: credentials.bus,
    }),
    startService(filesService({ root: options.filesRoot, progressPace: options.progressPace }), {
      ...connection,
      log,
      exocomToken: serviceToken(credentials, 'files'),
      busToken: credentials.bus,
    }),
  ]);
  const web = new WebServer({ ...connection, token: serviceToken(credentials, 'web'), busToken: credentials.bus });
  web.on('error', (error) => options.log(`error: ${error.message}`));
  const webPort = await web.listen(0);
  await Promise.all([
    bus.waitForInstance({ service: 'users', receives: ['users.create', 'users.list'] }),
    bus.waitForInstance({ service: 'files', receives: ['file.copy', 'file.read'] }),
    bus.waitForInstance({ service: 'web' }),
  ]);
  return {
    webPort,
    exocomPort: bus.port,
    tokens: credentials.services,
    busToken: credentials.bus,
    async [Symbol.asyncDispose]() {
      await Promise.all([web.close(), users.stop(), files.stop()]);
      await bus.close();
    },
  };
}

/** The services' own log lines join the demo's output; errors keep the `error:` mark tests look for. */
function serviceLog(log: (line: string) => void): ServiceLog {
  return {
    info: () => {},
    warn: (message, ...details) => log(`warning: ${format(message, ...details)}`),
    error: (message, ...details) => log(`error: ${format(message, ...details)}`),
  };
}

/** ExoCom's CLI and each service as its own process, as they would run on one machine. */
export async function startProcesses(options: LandscapeOptions): Promise<Landscape> {
  const children: ChildProcess[] = [];
  const stop = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  // The services first: they withdraw from the bus and drain before it goes.
  const stopAll = async () => {
    const [bus, ...services] = children;
    await Promise.all(services.map(stop));
    if (bus !== undefined) await stop(bus);
  };
  try {
    const credentials = drawCredentials(options.clients);
    // In the environment, never on a command line, where every user of the machine could read them.
    const bus = startScript(children, 'packages/exocom/src/cli/main.ts', ['--port', '0', '--public-dashboard'], {
      EXOCOM_TOKENS: JSON.stringify(credentials),
    });
    // The bus's first line says its port; every line after it is the flow log.
    const exocomPort = await firstPick(bus, (line) => {
      const match = /^ExoCom listening on http:\/\/[^:]+:(\d+)/.exec(line);
      if (match === null) options.log(line);
      return match === null ? undefined : Number(match[1]);
    });
    const environment = {
      EXOCOM_PORT: String(exocomPort),
      EXOCOM_BUS_TOKEN: credentials.bus,
      FORCE_COLOR: options.colors ? '1' : '0',
    };
    const [, , webPort] = await Promise.all([
      startServiceModule(children, 'users', { ...environment, EXOCOM_TOKEN: serviceToken(credentials, 'users') }),
      startServiceModule(children, 'files', {
        ...environment,
        EXOCOM_TOKEN: serviceToken(credentials, 'files'),
        FILES_ROOT: options.filesRoot,
        FILES_PROGRESS_PACE: String(options.progressPace),
      }),
      startWebServer(children, { ...environment, EXOCOM_TOKEN: serviceToken(credentials, 'web') }),
    ]);
    await waitForRoutes(exocomPort, credentials.admin, ['users.create', 'users.list', 'file.copy', 'file.read']);
    return {
      webPort,
      exocomPort,
      tokens: credentials.services,
      busToken: credentials.bus,
      [Symbol.asyncDispose]: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// By path, so a script runs from any working folder (a service's own, where its manifest is).
const tsxLoader = pathToFileURL(`${repositoryRoot}node_modules/tsx/dist/loader.mjs`).href;

function startScript(
  children: ChildProcess[],
  script: string,
  args: string[],
  environment: Record<string, string>,
  cwd = repositoryRoot,
): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@exorelay/source', '--import', tsxLoader, `${repositoryRoot}${script}`, ...args],
    { cwd, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return child;
}

/** `exoservice run` in the service's folder: the `exoservice` field of its package.json says the rest. */
async function startServiceModule(children: ChildProcess[], service: string, environment: Record<string, string>) {
  const cli = 'packages/service/src/cli/main.ts';
  const child = startScript(children, cli, ['run'], environment, `${repositoryRoot}examples/${service}`);
  return firstPick<number>(child, (line) => {
    const match = /^\S+ ready: messages on port (\d+)/.exec(line);
    return match === null ? undefined : Number(match[1]);
  });
}

async function startWebServer(children: ChildProcess[], environment: Record<string, string>) {
  const child = startScript(children, 'examples/web/src/main.ts', [], environment);
  return firstPick<number>(child, (line) => parseReadyLine(line)?.port);
}

/**
 * Feeds every stdout line of a child to `pick` and resolves with the first value it returns;
 * fails if the child exits before that.
 */
function firstPick<T>(child: ChildProcess, pick: (line: string) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    let picked = false;
    const onExit = (code: number | null) => reject(new Error(`a demo process exited early (code ${code})`));
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const value = pick(line);
      if (picked || value === undefined) return;
      picked = true;
      child.off('exit', onExit);
      resolve(value);
    });
  });
}

/** Polls the bus until every name has a receiver: services register right after they listen. */
async function waitForRoutes(exocomPort: number, adminToken: string, names: string[]): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    // Without a credential the bus shows no routes.
    const response = await fetch(`http://127.0.0.1:${exocomPort}/status`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const status = (await response.json()) as { routes: Record<string, string[]> };
    if (names.every((name) => (status.routes[name] ?? []).length > 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the services did not register ${names.join(', ')} with the bus in time`);
}
