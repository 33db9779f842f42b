import type { MessageMap, MessageName, TypedRelayContracts, UntypedMessages } from 'exorelay';
import { InvalidDefinitionError } from './errors.js';
import type { ServiceHandler, ServiceHook } from './service-context.js';

const definitionBrand = Symbol.for('exoservice.definition');

/** A handler for every name in `R`: leaving one out is a type error. Any names when untyped. */
export type ServiceHandlers<M extends MessageMap, R extends MessageName<M>> = string extends R
  ? Record<string, ServiceHandler<M, MessageName<M>>>
  : { [N in R]: ServiceHandler<M, N> };

/** What `defineService` takes. */
export interface ServiceDeclaration<M extends MessageMap, R extends MessageName<M>> {
  /**
   * The service's name on the bus; `SERVICE_NAME`, `--name` and the manifest override it.
   * @example name: 'users'
   */
  name?: string;
  /** The landscape's contracts: they type the handlers and `ctx`, and validate every message. */
  contracts?: TypedRelayContracts<M>;
  /**
   * The names this service handles. With contracts and without `receives`, every message of the
   * contracts needs a handler; with `receives`, exactly these do.
   * @example receives: ['users.create', 'users.list']
   */
  receives?: readonly R[];
  /** The names its handlers and hooks may send; sending another one fails. Unchecked when absent. */
  sends?: readonly MessageName<M>[];
  /** One handler per name the service receives. */
  handlers: ServiceHandlers<M, NoInfer<R>>;
  /** Runs once before the service receives anything: open a database, warm a cache. */
  beforeAll?: ServiceHook<M>;
  /** Runs once after the last handler finished, on shutdown: close what `beforeAll` opened. */
  afterAll?: ServiceHook<M>;
}

/** A service module's default export, made by {@link defineService}; `exoservice run` starts it. */
export interface ServiceDefinition<M extends MessageMap = MessageMap> {
  readonly [definitionBrand]: true;
  readonly name: string | undefined;
  readonly contracts: TypedRelayContracts<M> | undefined;
  /** The handled names: `receives`, or the keys of `handlers`. */
  readonly receives: readonly string[];
  readonly sends: readonly string[] | undefined;
  readonly handlers: Readonly<Record<string, ServiceHandler<M, MessageName<M>>>>;
  readonly beforeAll: ServiceHook<M> | undefined;
  readonly afterAll: ServiceHook<M> | undefined;
}

/**
 * Declares a service: its handlers, typed by the contracts, and its lifecycle hooks. Export it
 * as the module's default and run it with `exoservice run ./src/service.ts`.
 *
 * @example
 * export default defineService({
 *   name: 'users',
 *   contracts,
 *   receives: ['users.create'],
 *   beforeAll: async () => { db = await openDatabase() },
 *   handlers: {
 *     'users.create': async (user, { reply }) => reply('users.created', await db.insert(user)),
 *   },
 *   afterAll: () => db.close(),
 * })
 */
export function defineService<M extends MessageMap = UntypedMessages, const R extends MessageName<M> = MessageName<M>>(
  declaration: ServiceDeclaration<M, R>,
): ServiceDefinition<M> {
  if (typeof declaration !== 'object' || declaration === null) {
    throw new InvalidDefinitionError(
      'defineService takes an object: { name, contracts, handlers, beforeAll, afterAll }',
    );
  }
  const { handlers } = declaration;
  if (typeof handlers !== 'object' || handlers === null) {
    throw new InvalidDefinitionError("defineService needs 'handlers': an object of message name → handler function");
  }
  for (const [name, handler] of Object.entries(handlers)) {
    if (typeof handler !== 'function') throw new InvalidDefinitionError(`the handler of '${name}' is not a function`);
  }
  const receives = declaration.receives === undefined ? Object.keys(handlers) : [...declaration.receives];
  const missing = receives.filter((name) => !(name in handlers));
  if (missing.length > 0) throw new InvalidDefinitionError(`no handler for ${missing.map(quote).join(', ')}`);
  return {
    [definitionBrand]: true,
    name: declaration.name,
    contracts: declaration.contracts,
    receives,
    sends: declaration.sends === undefined ? undefined : [...declaration.sends],
    handlers: handlers as unknown as Record<string, ServiceHandler<M, MessageName<M>>>,
    beforeAll: declaration.beforeAll,
    afterAll: declaration.afterAll,
  };
}

/** Whether `value` is what `defineService()` returned (from this installed copy or another). */
export function isServiceDefinition(value: unknown): value is ServiceDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[definitionBrand] === true;
}

function quote(name: string): string {
  return `'${name}'`;
}
