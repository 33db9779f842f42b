import type { DeliveryOutcome, OutgoingMessage } from './delivery.js';
import { HeldSends, type HoldEnd, type WatchSender } from './held-sends.js';
import type { Instance } from './instance.js';

export interface DispatcherOptions {
  /** Most deliveries under way to one instance at a time. */
  maxInFlightPerInstance: number;
  /** Most messages waiting for a free slot of one instance (queued, or waiting out a `retry-after`). */
  maxQueuedPerInstance: number;
  /** Extra attempts at an instance that could not be reached, when no sibling can take the message. */
  connectRetries: number;
  /** First backoff before such an attempt, in ms; doubles each time. */
  retryDelay: number;
  /** Longest a message waits in all for busy instances (503) to take it, in ms. */
  maxBusyWait: number;
  /** Whether the instance is still in the routing table. */
  isCurrent(instance: Instance): boolean;
  /** The message provably did not reach the instance. */
  reportUnreachable(instance: Instance): void;
}

/** Where a message ended up. `busy` after `maxBusyWait`, `not-reached` when no instance could be reached. */
export interface DispatchResult {
  instance: Instance;
  outcome: DeliveryOutcome;
}

/**
 * One message on its way to an instance. A class, not an object literal: jobs live as long as
 * their delivery, so V8 would allocate the literal's objects in the old generation
 * (allocation-site pretenuring), where a finished one keeps its message alive through minor GCs
 * (see `NamedEnvelope` in `@exorelay/protocol`).
 */
class Job {
  /** Made by the first redirect: most messages go where they were sent. */
  tried: Set<Instance> | undefined = undefined;
  connectRetries = 0;
  busyWaited = 0;

  constructor(
    readonly message: OutgoingMessage,
    /** The instances that may take the message instead: other instances of the same service for the same name. */
    readonly siblings: () => readonly Instance[],
    readonly done: (result: DispatchResult) => void,
  ) {}
}

interface InstanceLoad {
  queue: Job[];
  /** Jobs waiting out this instance's `retry-after`. */
  waiting: number;
}

const noSiblings = () => [];

/**
 * Hands messages to instances with bounded concurrency: at most `maxInFlightPerInstance`
 * deliveries under way per instance, at most `maxQueuedPerInstance` more held for it, so the
 * bus's memory does not grow with the senders' rate. A message that provably did not reach its
 * instance (connection refused, instance gone) or that the instance refused as busy (503) goes
 * to a sibling instance, else waits briefly; anything else is final, because the handler may
 * have run: the bus delivers at most once.
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #loads = new Map<Instance, InstanceLoad>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Full instance → the sends waiting for one of its slots, oldest first. */
  readonly #roomWaiters: HeldSends<Instance>;
  #stopped = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#roomWaiters = new HeldSends({ maxPerKey: options.maxQueuedPerInstance });
  }

  /** Whether the bus may take one more message for `instance`. */
  hasRoom(instance: Instance): boolean {
    const load = this.#loads.get(instance);
    const held = instance.inFlight + (load === undefined ? 0 : load.queue.length + load.waiting);
    return held < this.#options.maxInFlightPerInstance + this.#options.maxQueuedPerInstance;
  }

  /** Messages held for `instance` that are not under way yet. */
  queued(instance: Instance): number {
    const load = this.#loads.get(instance);
    return load === undefined ? 0 : load.queue.length + load.waiting;
  }

  /** Whether another send may wait for room at `instances`: at most `maxQueuedPerInstance` wait per instance. */
  canWaitForRoom(instances: readonly Instance[]): boolean {
    return this.#roomWaiters.canHold(instances);
  }

  /**
   * Resolves `'woken'` once one of `instances` freed a slot (the oldest waiter first),
   * `'timeout'` after `timeout` ms, `'sender-gone'` when `watchSender` reports the sender gone.
   * After `'woken'` the caller checks again: another send may have taken the slot.
   */
  waitForRoom(instances: readonly Instance[], timeout: number, watchSender?: WatchSender): Promise<HoldEnd> {
    return this.#roomWaiters.hold(instances, timeout, watchSender);
  }

  /** Delivers `message` to `instance`, or to one of `siblings` when it cannot take it. Never rejects. */
  dispatch(
    instance: Instance,
    message: OutgoingMessage,
    siblings: () => readonly Instance[] = noSiblings,
  ): Promise<DispatchResult> {
    return new Promise((done) => {
      this.#enqueue(instance, new Job(message, siblings, done));
    });
  }

  /** The instance left the routing table: what waits for it goes to a sibling or fails. */
  instanceRemoved(instance: Instance): void {
    // Sends waiting for its room look again: the message may go elsewhere now, or nowhere.
    this.#roomWaiters.wakeAll(instance);
    const load = this.#loads.get(instance);
    if (load === undefined) return;
    const jobs = load.queue.splice(0);
    this.#release(instance);
    for (const job of jobs) {
      markTried(job, instance);
      this.#redirect(instance, job, { kind: 'not-reached', reason: 'it left the routing table' });
    }
  }

  /** The bus closes: nothing more is delivered or retried. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#loads.clear();
    this.#roomWaiters.release();
  }

  #enqueue(instance: Instance, job: Job): void {
    if (this.#stopped) return;
    if (instance.inFlight < this.#options.maxInFlightPerInstance) {
      void this.#run(instance, job);
      return;
    }
    if (this.queued(instance) < this.#options.maxQueuedPerInstance) {
      this.#loadOf(instance).queue.push(job);
      return;
    }
    const held = this.#options.maxInFlightPerInstance + this.#options.maxQueuedPerInstance;
    this.#settle(instance, job, {
      kind: 'busy',
      retryAfter: 100,
      reason: `the bus already holds ${held} messages for it`,
    });
  }

  async #run(instance: Instance, job: Job): Promise<void> {
    instance.inFlight += 1;
    const outcome = await instance.channel.deliver(job.message);
    instance.inFlight -= 1;
    if (this.#stopped) return;
    this.#next(instance);
    this.#settle(instance, job, outcome);
    this.#roomWaiters.wakeOldest(instance);
  }

  /** A slot of `instance` is free: the oldest message waiting for it takes it. */
  #next(instance: Instance): void {
    const load = this.#loads.get(instance);
    const job = load?.queue.shift();
    if (job === undefined) return;
    this.#release(instance);
    void this.#run(instance, job);
  }

  #settle(instance: Instance, job: Job, outcome: DeliveryOutcome): void {
    if (outcome.kind === 'not-reached') this.#options.reportUnreachable(instance);
    if (outcome.kind !== 'not-reached' && outcome.kind !== 'busy') {
      job.done({ instance, outcome });
      return;
    }
    markTried(job, instance);
    this.#redirect(instance, job, outcome);
  }

  /** Another instance, or the same one later, or the end. */
  #redirect(instance: Instance, job: Job, outcome: DeliveryOutcome & { kind: 'not-reached' | 'busy' }): void {
    const sibling = this.#sibling(job);
    if (sibling !== undefined) {
      this.#enqueue(sibling, job);
      return;
    }
    if (outcome.kind === 'not-reached') {
      const { connectRetries, retryDelay } = this.#options;
      if (job.connectRetries >= connectRetries || !this.#options.isCurrent(instance)) {
        job.done({ instance, outcome });
        return;
      }
      const wait = retryDelay * 2 ** job.connectRetries;
      job.connectRetries += 1;
      this.#later(instance, wait, job);
      return;
    }
    const wait = outcome.retryAfter;
    if (job.busyWaited + wait > this.#options.maxBusyWait || !this.#options.isCurrent(instance)) {
      job.done({ instance, outcome });
      return;
    }
    job.busyWaited += wait;
    this.#later(instance, wait, job);
  }

  /** Waits, counted against `instance`, then tries again: a sibling that is free by then, else `instance`. */
  #later(instance: Instance, wait: number, job: Job): void {
    this.#loadOf(instance).waiting += 1;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const load = this.#loads.get(instance);
      if (load !== undefined) load.waiting -= 1;
      this.#release(instance);
      job.tried?.clear();
      const target = this.#options.isCurrent(instance) ? instance : this.#sibling(job);
      if (target === undefined) {
        job.done({ instance, outcome: { kind: 'not-reached', reason: 'it left the routing table' } });
        return;
      }
      this.#enqueue(target, job);
    }, wait);
    this.#timers.add(timer);
  }

  /** The least loaded current instance not tried yet that has room, preferring ones that are up. */
  #sibling(job: Job): Instance | undefined {
    let best: Instance | undefined;
    for (const candidate of job.siblings()) {
      if (job.tried?.has(candidate) || !this.hasRoom(candidate) || !this.#options.isCurrent(candidate)) continue;
      if (best === undefined || rank(candidate, this) < rank(best, this)) best = candidate;
    }
    return best;
  }

  #loadOf(instance: Instance): InstanceLoad {
    let load = this.#loads.get(instance);
    if (load === undefined) {
      load = { queue: [], waiting: 0 };
      this.#loads.set(instance, load);
    }
    return load;
  }

  /** Forgets an instance's load once nothing waits for it, so removed instances leave no trace. */
  #release(instance: Instance): void {
    const load = this.#loads.get(instance);
    if (load !== undefined && load.queue.length === 0 && load.waiting === 0) this.#loads.delete(instance);
  }
}

function markTried(job: Job, instance: Instance): void {
  job.tried ??= new Set();
  job.tried.add(instance);
}

function rank(instance: Instance, dispatcher: Dispatcher): number {
  const load = instance.inFlight + dispatcher.queued(instance);
  return instance.up ? load : load + 1_000_000;
}
