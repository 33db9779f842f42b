import type { ServiceDeregistration, ServiceRegistration } from '@exorelay/protocol';
import type { InstanceChannel } from './delivery.js';
import { ConfigError } from './errors.js';
import type { EventStreamChannel } from './event-stream-channel.js';
import { Instance, type InstanceSnapshot, instanceKey } from './instance.js';
import type { ParsedServiceConfig, ServiceDeliveryTls } from './landscape.js';
import { NameTranslator, type Translation } from './translation.js';

/** A service the bus knows, from the configuration, from registrations, or both. */
export interface Service {
  readonly name: string;
  translator: NameTranslator;
  sends: string[];
  configured: boolean;
  /** What the configuration says the service receives, over all its entries. */
  configuredReceives: string[];
  /** How its instances are reached; `undefined`: the bus's `deliveryTls`. */
  deliveryTls: ServiceDeliveryTls | undefined;
  readonly instances: Map<string, Instance>;
}

/** The instances of one service that handle a (public) name. */
export interface ReceivingService {
  service: Service;
  instances: Instance[];
}

/**
 * Why an instance was added, changed or forgotten. The last four are about event-stream
 * instances: its `GET /events` connection opened (or reopened), closed, was closed by the bus
 * because the instance read too slowly, or stayed away too long to be resumed.
 */
export type InstanceChangeReason =
  | 'configuration'
  | 'registration'
  | 'deregistration'
  | 'unreachable'
  | 'reachable'
  | 'connected'
  | 'disconnected'
  | 'slow-consumer'
  | 'expired';

/** What the `instance` event reports. */
export interface InstanceChange {
  type: 'added' | 'updated' | 'removed';
  reason: InstanceChangeReason;
  instance: InstanceSnapshot;
}

/** A service as `/status` shows it. */
export interface ServiceSnapshot {
  name: string;
  sends: string[];
  translations: Translation[];
  instances: InstanceSnapshot[];
}

export interface RoutingTableOptions {
  /** `deliveryTls` is the service's own setting, `undefined` when it has none. */
  createChannel(instance: { host: string; port: number; deliveryTls: ServiceDeliveryTls | undefined }): InstanceChannel;
  /** An instance counts as down (configured) or is forgotten (registered) after this many failures in a row. */
  failureThreshold: number;
  onChange(change: InstanceChange): void;
  /** An instance left the table: messages held for it must go elsewhere. */
  onRemove(instance: Instance): void;
}

const noTranslations = new NameTranslator([]);

/**
 * Who is in the landscape and who handles which name. Two sources feed it: the configuration
 * (replaced as a whole by `configure`) and registrations (one instance at a time). Lookups by
 * message name go through an index that is rebuilt on every change, because the landscape
 * changes rarely and messages flow often.
 */
export class RoutingTable {
  readonly #options: RoutingTableOptions;
  readonly #services = new Map<string, Service>();
  readonly #instances = new Map<string, Instance>();
  #index = new Map<string, ReceivingService[]>();

  constructor(options: RoutingTableOptions) {
    this.#options = options;
  }

  service(name: string): Service | undefined {
    return this.#services.get(name);
  }

  instance(key: string): Instance | undefined {
    return this.#instances.get(key);
  }

  instancesOf(serviceName: string): Instance[] {
    return [...(this.#services.get(serviceName)?.instances.values() ?? [])];
  }

  allInstances(): Instance[] {
    return [...this.#instances.values()];
  }

  /** What the configuration says `serviceName` receives (for an instance that does not say). */
  configuredReceivesOf(serviceName: string): string[] {
    return this.#services.get(serviceName)?.configuredReceives ?? [];
  }

  /** The services that handle the public name `name`, each with the instances that do. */
  receiversOf(name: string): readonly ReceivingService[] {
    return this.#index.get(name) ?? [];
  }

  /** Replaces the configured part of the landscape; registrations stay. Throws before changing anything. */
  configure(services: readonly ParsedServiceConfig[]): void {
    const plan = planConfiguration(services);
    const deliveryBefore = new Map([...this.#services.values()].map((service) => [service, service.deliveryTls]));
    for (const service of this.#services.values()) {
      service.configured = false;
      service.translator = noTranslations;
      service.sends = [];
      service.configuredReceives = [];
      service.deliveryTls = undefined;
    }
    for (const instance of this.#instances.values()) {
      if (instance.isConfigured && !plan.instances.has(instance.key)) this.#unconfigure(instance);
    }
    for (const [name, { translator, sends, receives, deliveryTls }] of plan.services) {
      const service = this.#serviceNamed(name);
      service.translator = translator;
      service.sends = sends;
      service.configuredReceives = receives;
      service.deliveryTls = deliveryTls;
      service.configured = true;
    }
    for (const [service, before] of deliveryBefore) {
      if (!sameDelivery(before, service.deliveryTls)) this.#reconnect(service);
    }
    for (const [key, wanted] of plan.instances) this.#configureInstance(key, wanted);
    this.#dropEmptyServices();
    this.#reindex();
  }

  /** Adds or refreshes a self-registered instance. Relays repeat this every few seconds. */
  register(registration: ServiceRegistration): void {
    const key = instanceKey(registration.host, registration.port);
    const previous = this.#instances.get(key);
    if (previous !== undefined && previous.serviceName !== registration.serviceName) {
      // Another service now listens where this one did: the old one is gone.
      this.#remove(previous, 'registration');
    }
    const receives = new Set(registration.receives);
    const existing = this.#instances.get(key);
    if (existing === undefined) {
      const instance = this.#add(registration.serviceName, registration.host, registration.port);
      instance.registeredReceives = receives;
      this.#reindex();
      this.#emit('added', 'registration', instance);
      return;
    }
    const changed = !sameNames(existing.registeredReceives, receives) || !existing.up;
    existing.registeredReceives = receives;
    existing.up = true;
    existing.consecutiveFailures = 0;
    if (!changed) return;
    this.#reindex();
    this.#emit('updated', 'registration', existing);
  }

  /** Adds an instance that receives over its event stream, under the id the bus gave it. */
  addEventStream(
    serviceName: string,
    host: string,
    receives: ReadonlySet<string>,
    stream: EventStreamChannel,
  ): Instance {
    const instance = new Instance(serviceName, host, 0, stream, stream);
    instance.registeredReceives = receives;
    this.#insert(instance);
    this.#reindex();
    this.#emit('added', 'connected', instance);
    return instance;
  }

  /**
   * An event-stream instance reconnected (`up`, from `host`), lost its connection, or said which
   * names it handles now. Reconnecting is reported even when nothing else changed.
   */
  updateEventStream(
    instance: Instance,
    change: { receives?: ReadonlySet<string>; up?: boolean; host?: string },
    reason: InstanceChangeReason,
  ): void {
    if (this.#instances.get(instance.key) !== instance) return;
    const namesChanged = change.receives !== undefined && !sameNames(instance.registeredReceives, change.receives);
    const upChanged = change.up !== undefined && change.up !== instance.up;
    if (change.receives !== undefined) instance.registeredReceives = change.receives;
    if (change.up !== undefined) instance.up = change.up;
    if (change.host !== undefined) instance.host = change.host;
    if (change.up === true) instance.consecutiveFailures = 0;
    if (namesChanged) this.#reindex();
    if (namesChanged || upChanged || reason === 'connected') this.#emit('updated', reason, instance);
  }

  /** Forgets an instance now, whatever its source. */
  remove(instance: Instance, reason: InstanceChangeReason): void {
    if (this.#instances.get(instance.key) === instance) this.#remove(instance, reason);
  }

  /** Forgets a registered instance that closed; a configured one stays, marked down. */
  deregister(deregistration: ServiceDeregistration): boolean {
    const instance = this.#instances.get(instanceKey(deregistration.host, deregistration.port));
    if (instance === undefined || instance.serviceName !== deregistration.serviceName) return false;
    if (!instance.isConfigured) {
      this.#remove(instance, 'deregistration');
      return true;
    }
    instance.registeredReceives = undefined;
    instance.up = false;
    this.#reindex();
    this.#emit('updated', 'deregistration', instance);
    return true;
  }

  /** The instance answered: it is up. An event-stream instance is up while its connection is open, whatever took a message. */
  reportSuccess(instance: Instance): void {
    instance.consecutiveFailures = 0;
    if (instance.up || instance.eventStream !== undefined || this.#instances.get(instance.key) !== instance) return;
    instance.up = true;
    this.#emit('updated', 'reachable', instance);
  }

  /**
   * The instance could not be reached; after `failureThreshold` times in a row it is down or
   * forgotten. An event-stream instance is judged by time instead (its connection, and how long
   * it stays away): under load, a count of refused messages runs out within milliseconds.
   */
  reportFailure(instance: Instance): void {
    if (instance.eventStream !== undefined) return;
    instance.consecutiveFailures += 1;
    if (instance.consecutiveFailures < this.#options.failureThreshold) return;
    if (this.#instances.get(instance.key) !== instance) return;
    if (!instance.isConfigured) {
      this.#remove(instance, 'unreachable');
      return;
    }
    if (!instance.up) return;
    instance.up = false;
    // Its registration is stale too; the configuration describes it until it registers again.
    instance.registeredReceives = undefined;
    this.#reindex();
    this.#emit('updated', 'unreachable', instance);
  }

  services(): ServiceSnapshot[] {
    return [...this.#services.values()].map((service) => ({
      name: service.name,
      sends: service.sends,
      translations: [...service.translator.translations],
      instances: [...service.instances.values()].map((instance) => instance.snapshot()),
    }));
  }

  /** Public message name → names of the services that receive it. */
  routes(): Record<string, string[]> {
    const routes: Record<string, string[]> = {};
    for (const [name, receivers] of this.#index) routes[name] = receivers.map(({ service }) => service.name);
    return routes;
  }

  async close(): Promise<void> {
    const instances = [...this.#instances.values()];
    this.#instances.clear();
    this.#services.clear();
    this.#index.clear();
    await Promise.all(instances.map((instance) => instance.channel.close()));
  }

  #configureInstance(key: string, { service, host, port, receives }: PlannedInstance): void {
    const existing = this.#instances.get(key);
    if (existing !== undefined && existing.serviceName !== service) this.#remove(existing, 'configuration');
    const current = this.#instances.get(key);
    const instance = current ?? this.#add(service, host, port);
    const changed = current === undefined || !sameNames(instance.configuredReceives, receives);
    instance.configuredReceives = receives;
    if (changed) this.#emit(current === undefined ? 'added' : 'updated', 'configuration', instance);
  }

  #unconfigure(instance: Instance): void {
    instance.configuredReceives = undefined;
    if (instance.isRegistered) this.#emit('updated', 'configuration', instance);
    else this.#remove(instance, 'configuration');
  }

  #serviceNamed(name: string): Service {
    let service = this.#services.get(name);
    if (service === undefined) {
      service = {
        name,
        translator: noTranslations,
        sends: [],
        configured: false,
        configuredReceives: [],
        deliveryTls: undefined,
        instances: new Map(),
      };
      this.#services.set(name, service);
    }
    return service;
  }

  #add(serviceName: string, host: string, port: number): Instance {
    const deliveryTls = this.#services.get(serviceName)?.deliveryTls;
    const instance = new Instance(serviceName, host, port, this.#options.createChannel({ host, port, deliveryTls }));
    this.#insert(instance);
    return instance;
  }

  /** The service's delivery setting changed: new connections for its instances; deliveries under way finish on the old ones. */
  #reconnect(service: Service): void {
    for (const instance of service.instances.values()) {
      if (instance.eventStream !== undefined) continue;
      const { host, port } = instance;
      const previous = instance.replaceChannel(
        this.#options.createChannel({ host, port, deliveryTls: service.deliveryTls }),
      );
      void previous.retire();
    }
  }

  #insert(instance: Instance): void {
    this.#instances.set(instance.key, instance);
    this.#serviceNamed(instance.serviceName).instances.set(instance.key, instance);
  }

  #remove(instance: Instance, reason: InstanceChangeReason): void {
    this.#instances.delete(instance.key);
    const service = this.#services.get(instance.serviceName);
    service?.instances.delete(instance.key);
    if (service !== undefined && service.instances.size === 0 && !service.configured) {
      this.#services.delete(service.name);
    }
    this.#reindex();
    this.#options.onRemove(instance);
    this.#emit('removed', reason, instance);
    // Deliveries under way still finish (a deregistered instance drains them); then the connections go.
    void instance.channel.retire();
  }

  #dropEmptyServices(): void {
    for (const service of this.#services.values()) {
      if (!service.configured && service.instances.size === 0) this.#services.delete(service.name);
    }
  }

  #reindex(): void {
    const index = new Map<string, ReceivingService[]>();
    for (const service of this.#services.values()) {
      const byName = new Map<string, Instance[]>();
      for (const instance of service.instances.values()) {
        for (const name of instance.receives) {
          const publicName = service.translator.toPublic(name);
          byName.set(publicName, [...(byName.get(publicName) ?? []), instance]);
        }
      }
      for (const [name, instances] of byName) index.set(name, [...(index.get(name) ?? []), { service, instances }]);
    }
    this.#index = index;
  }

  #emit(type: InstanceChange['type'], reason: InstanceChangeReason, instance: Instance): void {
    this.#options.onChange({ type, reason, instance: instance.snapshot() });
  }
}

interface PlannedService {
  translator: NameTranslator;
  sends: string[];
  receives: string[];
  deliveryTls: ServiceDeliveryTls | undefined;
}

interface PlannedInstance {
  service: string;
  host: string;
  port: number;
  receives: Set<string>;
}

/**
 * Merges the entries of a configuration: a service listed once per instance gets the union of
 * their lists. Building every translator here makes a conflict throw before the table changes.
 */
function planConfiguration(services: readonly ParsedServiceConfig[]): {
  services: Map<string, PlannedService>;
  instances: Map<string, PlannedInstance>;
} {
  const lists = new Map<
    string,
    {
      translations: Translation[];
      sends: Set<string>;
      receives: Set<string>;
      deliveryTls: ServiceDeliveryTls | undefined;
    }
  >();
  const instances = new Map<string, PlannedInstance>();
  for (const config of services) {
    const list = lists.get(config.name) ?? {
      translations: [],
      sends: new Set<string>(),
      receives: new Set<string>(),
      deliveryTls: undefined,
    };
    if (config.deliveryTls !== undefined) {
      if (list.deliveryTls !== undefined && !sameDelivery(list.deliveryTls, config.deliveryTls)) {
        throw new ConfigError(`the entries of '${config.name}' give different deliveryTls: give it once`);
      }
      list.deliveryTls = config.deliveryTls;
    }
    for (const translation of config.translator.translations) {
      const known = list.translations.some(
        (t) => t.public === translation.public && t.internal === translation.internal,
      );
      if (!known) list.translations.push(translation);
    }
    for (const name of config.sends) list.sends.add(name);
    for (const name of config.receives) list.receives.add(name);
    lists.set(config.name, list);
    if (config.instance === undefined) continue;
    const key = instanceKey(config.instance.host, config.instance.port);
    const planned = instances.get(key) ?? { service: config.name, ...config.instance, receives: new Set<string>() };
    if (planned.service !== config.name) {
      throw new ConfigError(`${key} is configured for both '${planned.service}' and '${config.name}'`);
    }
    for (const name of config.receives) planned.receives.add(name);
    instances.set(key, planned);
  }
  const merged = new Map<string, PlannedService>();
  for (const [name, { translations, sends, receives, deliveryTls }] of lists) {
    const translator = new NameTranslator(translations, `translations of '${name}'`);
    merged.set(name, { translator, sends: [...sends], receives: [...receives], deliveryTls });
  }
  return { services: merged, instances };
}

function sameNames(known: ReadonlySet<string> | undefined, names: ReadonlySet<string>): boolean {
  if (known === undefined || known.size !== names.size) return false;
  for (const name of names) if (!known.has(name)) return false;
  return true;
}

function sameDelivery(a: ServiceDeliveryTls | undefined, b: ServiceDeliveryTls | undefined): boolean {
  if (a === undefined || a === false || b === undefined || b === false) return a === b;
  return a.ca === b.ca && a.servername === b.servername;
}
