import {
  ExoRelay,
  type MessageHandler,
  type MessageMap,
  type ReplyFunction,
  type Transport,
  type TypedRelayContracts,
  type UntypedMessages,
} from 'exorelay';
import { type RunnerConfiguration, resolveConfiguration } from './configuration.js';
import type { ServiceDefinition } from './define-service.js';
import { ConfigError, HookFailedError, InvalidDefinitionError, UndeclaredMessageError } from './errors.js';
import { HealthServer } from './health-server.js';
import type { ServiceManifest } from './manifest.js';
import type { HookContext, ServiceContext, ServiceHandler } from './service-context.js';
import { consoleLog, prefixedLog, type ServiceLog } from './service-log.js';
import { ServiceMetrics } from './service-metrics.js';
import { chooseTransport } from './transport-choice.js';

/** How {@link startService} runs a definition; every field has the default `exoservice run` uses. */
export interface StartServiceOptions extends Partial<RunnerConfiguration> {
  /** What the manifest says: its name, receives and sends win over the definition's. */
  manifest?: Pick<ServiceManifest, 'name' | 'receives' | 'sends'> & { packageName?: string | undefined };
  /**
   * Where handlers' and hooks' `ctx.log` write.
   * @default lines on stdout/stderr prefixed with the service name
   */
  log?: ServiceLog;
}

type State = 'starting' | 'ready' | 'stopping' | 'stopped';
type AnyRelay = ExoRelay<UntypedMessages>;
type AnyContext = Parameters<MessageHandler<UntypedMessages, string, AnyRelay>>[1];

/**
 * A service started by {@link startService}: its relay listens, its health server answers. Stop
 * it with `stop()` (what SIGTERM does) or `await using`.
 */
export class RunningService implements AsyncDisposable {
  readonly serviceName: string;
  readonly #configuration: RunnerConfiguration;
  readonly #definition: ServiceDefinition<MessageMap>;
  readonly #relay: AnyRelay;
  readonly #metrics: ServiceMetrics;
  readonly #log: ServiceLog;
  readonly #sends: ReadonlySet<string> | undefined;
  readonly #receives: readonly string[];
  /** Aborts handlers' and hooks' `signal` when the service must stop at once. */
  readonly #stopNow = new AbortController();
  #health: HealthServer | undefined;
  #state: State = 'starting';
  #online = false;
  #stopping: Promise<void> | undefined;

  private constructor(parts: {
    serviceName: string;
    configuration: RunnerConfiguration;
    definition: ServiceDefinition<MessageMap>;
    transport: Transport;
    receives: readonly string[];
    sends: readonly string[] | undefined;
    log: ServiceLog;
  }) {
    this.#receives = parts.receives;
    this.serviceName = parts.serviceName;
    this.#configuration = parts.configuration;
    this.#definition = parts.definition;
    this.#sends = parts.sends === undefined ? undefined : new Set(parts.sends);
    this.#log = parts.log;
    this.#relay = new ExoRelay<UntypedMessages>({
      serviceName: parts.serviceName,
      transport: parts.transport,
      // The runner serves any definition untyped: its handlers were typed where they were written.
      contracts: parts.definition.contracts as TypedRelayContracts<UntypedMessages> | undefined,
      drainTimeout: parts.configuration.drainTimeout,
    });
    this.#metrics = new ServiceMetrics(parts.serviceName, () => ({ ...this.#relay.stats, ready: this.ready }));
    this.#metrics.observe(this.#relay);
    this.#relay.on('error', (error) => this.#log.error('%s', error.message));
    this.#relay.on('status', (status) => {
      this.#online = status.type === 'online';
    });
  }

  /** @internal Use {@link startService}. */
  static async start(definition: ServiceDefinition<MessageMap>, options: StartServiceOptions): Promise<RunningService> {
    const { manifest, log: givenLog, ...given } = options;
    const configuration = { ...resolveConfiguration({}, {}), ...withoutUndefined(given) };
    const serviceName = configuration.serviceName ?? manifest?.name ?? definition.name ?? manifest?.packageName;
    if (serviceName === undefined) {
      throw new ConfigError(
        'the service has no name: set SERVICE_NAME or --name, name it in service.yml, or in defineService({ name })',
        'SERVICE_NAME',
      );
    }
    checkReceives(definition, manifest);
    const log = givenLog ?? consoleLog(`${serviceName}: `);
    const transport = await chooseTransport(configuration);
    const service = new RunningService({
      serviceName,
      configuration,
      definition,
      transport,
      receives: manifest?.receives ?? definition.receives,
      sends: manifest?.sends ?? definition.sends,
      log,
    });
    await service.#start();
    return service;
  }

  /** The relay's port (HTTP delivery); undefined for transports without one. */
  get port(): number | undefined {
    return this.#relay.port;
  }

  /** The port of `/healthz`, `/readyz` and `/metrics`. */
  get healthPort(): number {
    return this.#health?.port ?? 0;
  }

  /** Whether the bus can route to it: listening, the transport online, not shutting down. */
  get ready(): boolean {
    return this.#state === 'ready' && this.#online;
  }

  /** The metrics `/metrics` serves, in Prometheus text format. */
  metrics(): Promise<string> {
    return this.#metrics.exposition();
  }

  /**
   * Shuts down without losing a message: stops receiving (the bus routes to other instances),
   * lets running handlers finish (up to `drainTimeout`, then their `signal` aborts), closes the
   * relay, runs `afterAll`, closes the health server. Rejects with a `HookFailedError` when
   * `afterAll` throws.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** Aborts every `ctx.signal` at once, as a second SIGTERM does before the process exits. */
  abort(reason: Error = new Error('the service was told to stop at once')): void {
    this.#stopNow.abort(reason);
  }

  /** Stops the service, as `stop()` does: for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #start(): Promise<void> {
    const { host, healthPort } = this.#configuration;
    this.#health = await HealthServer.start(
      {
        live: () => this.#state !== 'stopped',
        ready: () => this.ready,
        metrics: async () => ({ contentType: this.#metrics.contentType, text: await this.#metrics.exposition() }),
      },
      { host, port: healthPort },
    );
    try {
      await this.#runHook('beforeAll');
    } catch (error) {
      await this.#closeAll();
      throw error;
    }
    try {
      for (const name of this.#receives) this.#register(name);
      await this.#relay.listen(this.#configuration.port);
      this.#online = true;
      this.#state = 'ready';
    } catch (error) {
      await this.#closeAll();
      await this.#runHook('afterAll');
      throw error;
    }
  }

  async #stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopping';
    const deadline = setTimeout(
      () => this.abort(new Error('the drain time is over')),
      this.#configuration.drainTimeout,
    ).unref();
    try {
      // Two phases: the bus stops routing here, then running handlers finish (see ExoRelay#close).
      await this.#relay.close();
    } finally {
      clearTimeout(deadline);
    }
    try {
      await this.#runHook('afterAll');
    } finally {
      await this.#health?.close();
      this.#state = 'stopped';
    }
  }

  async #closeAll(): Promise<void> {
    await this.#relay.close();
    await this.#health?.close();
    this.#state = 'stopped';
  }

  async #runHook(hook: 'beforeAll' | 'afterAll'): Promise<void> {
    const run = this.#definition[hook];
    if (run === undefined) return;
    const context: HookContext<MessageMap> = {
      serviceName: this.serviceName,
      send: this.#send.bind(this) as HookContext<MessageMap>['send'],
      request: this.#request.bind(this) as HookContext<MessageMap>['request'],
      log: prefixedLog(this.#log, `${hook}: `),
      signal: this.#stopNow.signal,
    };
    try {
      await run(context);
    } catch (cause) {
      throw new HookFailedError(hook, this.serviceName, { cause });
    }
  }

  #register(name: string): void {
    const handler = this.#definition.handlers[name] as ServiceHandler<UntypedMessages, string>;
    this.#relay.registerHandler(name, async (payload, relayContext) => {
      const finished = this.#metrics.handlerStarted(name);
      try {
        await handler(payload, this.#contextFor(name, relayContext));
        finished('succeeded');
      } catch (error) {
        finished('failed');
        throw error;
      }
    });
  }

  #contextFor(name: string, relayContext: AnyContext): ServiceContext<UntypedMessages, string> {
    const metrics = this.#metrics;
    const reply: ReplyFunction<UntypedMessages, string> = Object.assign(
      (outcome: string, ...payload: [unknown?]) => {
        metrics.replySent(name, outcome);
        return relayContext.reply(outcome, ...payload);
      },
      {
        progress: (outcome: string, ...payload: [unknown?]) => {
          metrics.replySent(name, outcome);
          return relayContext.reply.progress(outcome, ...payload);
        },
      },
    );
    return {
      ...relayContext,
      reply,
      send: this.#send.bind(this) as AnyContext['send'],
      request: this.#request.bind(this) as AnyContext['request'],
      log: prefixedLog(this.#log, `${name}: `),
      signal: this.#stopNow.signal,
    };
  }

  #send(name: string, ...args: unknown[]): ReturnType<AnyRelay['send']> {
    this.#checkSends(name);
    this.#metrics.messageSent(name);
    return (this.#relay.send as (name: string, ...args: unknown[]) => ReturnType<AnyRelay['send']>)(name, ...args);
  }

  async #request(name: string, ...args: unknown[]): ReturnType<AnyRelay['request']> {
    this.#checkSends(name);
    this.#metrics.messageSent(name);
    const finished = this.#metrics.requestStarted(name);
    try {
      const reply = await (
        this.#relay.request as (name: string, ...args: unknown[]) => ReturnType<AnyRelay['request']>
      )(name, ...args);
      finished(reply.outcome);
      return reply;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      finished(`error:${typeof code === 'string' ? code : 'UNKNOWN'}`);
      throw error;
    }
  }

  #checkSends(name: string): void {
    if (this.#sends !== undefined && !this.#sends.has(name)) throw new UndeclaredMessageError(name, this.serviceName);
  }
}

/**
 * Starts a service in this process, as `exoservice run` does: `beforeAll`, then the relay
 * listens and the health server answers. Resolves once the bus can route to it.
 *
 * @example
 * await using users = await startService(usersService, { exocomPort: bus.port })
 * await users.stop()
 */
export function startService<M extends MessageMap>(
  definition: ServiceDefinition<M>,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  return RunningService.start(definition as unknown as ServiceDefinition<MessageMap>, options);
}

/** With a manifest, it decides what the service receives: each name needs a handler, and no more. */
function checkReceives(
  definition: ServiceDefinition<MessageMap>,
  manifest: Pick<ServiceManifest, 'receives'> | undefined,
): void {
  if (manifest?.receives === undefined) return;
  const declared = new Set(manifest.receives);
  const missing = manifest.receives.filter((name) => !(name in definition.handlers));
  if (missing.length > 0) {
    throw new InvalidDefinitionError(
      `the manifest says the service receives ${missing.join(', ')}, but it has no handler`,
    );
  }
  const extra = definition.receives.filter((name) => !declared.has(name));
  if (extra.length > 0) {
    throw new InvalidDefinitionError(
      `the service handles ${extra.join(', ')}, which its manifest does not list in receives`,
    );
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
