import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FlowEvent } from './flow-log.js';
import type { ExoComCounters } from './message-router.js';
import { ReplyLatencies } from './metrics-latency.js';
import type { InstanceChange, ServiceSnapshot } from './routing-table.js';

/** What the metrics read from the bus when scraped. */
export interface BusMetricsSources {
  counters(): ExoComCounters;
  services(): ServiceSnapshot[];
  replyRoutes(): number;
}

const latencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The bus's Prometheus metrics, in a registry of its own (two buses in one process never
 * clash). Per-name counts and reply latencies come from the flow events; gauges read the
 * routing table when scraped; the totals are the bus's own counters.
 */
export class BusMetrics {
  readonly registry = new Registry();
  readonly #unrouted: Counter<'name' | 'kind'>;
  readonly #failed: Counter<'name' | 'receiver'>;
  readonly #latency: Histogram<'name' | 'outcome'>;
  readonly #instanceChanges: Counter<'service' | 'type' | 'reason'>;
  readonly #latencies = new ReplyLatencies(100_000);
  readonly #receivedCounts = new DeferredCounts<'name' | 'kind'>();
  readonly #routedCounts = new DeferredCounts<'name' | 'kind' | 'receiver'>();

  constructor(sources: BusMetricsSources) {
    const registers = [this.registry];
    const receivedCounts = this.#receivedCounts;
    const routedCounts = this.#routedCounts;
    new Counter({
      name: 'exocom_messages_received_total',
      help: "Messages and replies taken at POST /send, per public name and kind ('message' or 'reply'; a reply's name is its outcome)",
      labelNames: ['name', 'kind'],
      registers,
      collect() {
        receivedCounts.flushInto(this);
      },
    });
    new Counter({
      name: 'exocom_messages_routed_total',
      help: 'Messages and replies handed to a receiving service, per name, kind and receiving service',
      labelNames: ['name', 'kind', 'receiver'],
      registers,
      collect() {
        routedCounts.flushInto(this);
      },
    });
    this.#unrouted = new Counter({
      name: 'exocom_messages_unrouted_total',
      help: 'Messages nobody receives, and replies to unknown or expired requests, per name and kind',
      labelNames: ['name', 'kind'],
      registers,
    });
    this.#failed = new Counter({
      name: 'exocom_deliveries_failed_total',
      help: 'Deliveries that failed after retrying or that the instance refused, per name and receiving service',
      labelNames: ['name', 'receiver'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'exocom_reply_latency_seconds',
      help: 'Time from a request passing the bus to its first final reply passing it, per request name and outcome',
      labelNames: ['name', 'outcome'],
      buckets: latencyBuckets,
      registers,
    });
    this.#instanceChanges = new Counter({
      name: 'exocom_instance_changes_total',
      help: "Instances that joined, changed or left, per service, type and reason ('connected' after 'disconnected' is an event-stream reconnect)",
      labelNames: ['service', 'type', 'reason'],
      registers,
    });
    const latencies = this.#latencies;
    new Gauge({
      name: 'exocom_in_flight_requests',
      help: 'Requests that passed the bus and whose final reply has not',
      registers,
      collect() {
        this.set(latencies.size);
      },
    });
    new Gauge({
      name: 'exocom_reply_routes',
      help: 'Requests whose replies the bus still knows where to send',
      registers,
      collect() {
        this.set(sources.replyRoutes());
      },
    });
    this.#instanceGauges(sources, registers);
    this.#totals(sources, registers);
  }

  /** Counts one flow event; the bus calls it for every `flow` it emits. */
  observeFlow(event: FlowEvent): void {
    const { name } = event;
    if (event.kind === 'delivery-failed') {
      this.#failed.inc({ name, receiver: event.receiver.service });
      return;
    }
    const { kind, receivers } = event;
    this.#receivedCounts.add(`${kind}\n${name}`, { name, kind });
    if (receivers.length === 0) this.#unrouted.inc({ name, kind });
    for (let index = 0; index < receivers.length; index += 1) {
      const receiver = receivers[index]!.service;
      // A reply may go to several instances of one service: the service counts once.
      if (index > 0 && receivers.findIndex((earlier) => earlier.service === receiver) < index) continue;
      this.#routedCounts.add(`${kind}\n${name}\n${receiver}`, { name, kind, receiver });
    }
    // A one-way message gets no reply: timing it would only fill the latency table.
    if (event.kind === 'message' && receivers.length > 0 && event.oneWay !== true) {
      this.#latencies.requestSeen(event.requestId, name);
    }
    if (event.kind === 'reply' && event.final) {
      const timed = this.#latencies.finalReplySeen(event.responseTo);
      if (timed !== undefined) this.#latency.observe({ name: timed.name, outcome: name }, timed.seconds);
    }
  }

  observeInstance(change: InstanceChange): void {
    this.#instanceChanges.inc({ service: change.instance.service, type: change.type, reason: change.reason });
  }

  /** The text a Prometheus server scrapes. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.#latencies.clear();
  }

  #instanceGauges(sources: BusMetricsSources, registers: Registry[]): void {
    const eachInstance = (read: (gauge: Gauge<'service' | 'instance'>) => void) =>
      function (this: Gauge<'service' | 'instance'>) {
        this.reset();
        read(this);
      };
    const instances = () =>
      sources.services().flatMap((service) =>
        service.instances.map((instance) => ({
          labels: { service: service.name, instance: instance.eventStream?.id ?? `${instance.host}:${instance.port}` },
          instance,
        })),
      );
    new Gauge({
      name: 'exocom_instance_up',
      help: '1 while the bus routes to an instance, 0 while it is down (failed deliveries or health checks, a disconnected event stream)',
      labelNames: ['service', 'instance'],
      registers,
      collect: eachInstance((gauge) => {
        for (const { labels, instance } of instances()) gauge.set(labels, instance.up ? 1 : 0);
      }),
    });
    new Gauge({
      name: 'exocom_instance_in_flight_deliveries',
      help: 'Deliveries to an instance under way now',
      labelNames: ['service', 'instance'],
      registers,
      collect: eachInstance((gauge) => {
        for (const { labels, instance } of instances()) gauge.set(labels, instance.inFlight);
      }),
    });
    new Gauge({
      name: 'exocom_event_stream_buffered_events',
      help: 'Events the bus holds for an event-stream (SSE) instance: not written yet, or kept for a replay',
      labelNames: ['service', 'instance'],
      registers,
      collect: eachInstance((gauge) => {
        for (const { labels, instance } of instances()) {
          if (instance.eventStream !== undefined) gauge.set(labels, instance.eventStream.buffered);
        }
      }),
    });
    new Gauge({
      name: 'exocom_event_stream_buffered_bytes',
      help: 'Bytes of the events the bus holds for an event-stream (SSE) instance',
      labelNames: ['service', 'instance'],
      registers,
      collect: eachInstance((gauge) => {
        for (const { labels, instance } of instances()) {
          if (instance.eventStream !== undefined) gauge.set(labels, instance.eventStream.bufferedBytes);
        }
      }),
    });
  }

  /** The bus's own counters, as Prometheus counters that grow by what the bus counted since the last scrape. */
  #totals(sources: BusMetricsSources, registers: Registry[]): void {
    const totals: [keyof ExoComCounters, string, string][] = [
      ['received', 'exocom_sent_total', 'Messages and replies taken at POST /send'],
      ['delivered', 'exocom_delivered_total', 'Deliveries an instance accepted'],
      [
        'failed',
        'exocom_delivery_failures_total',
        'Deliveries that failed after retrying, or that an instance refused',
      ],
      ['repliesRouted', 'exocom_replies_delivered_total', 'Replies delivered back to their requester'],
      ['noReceivers', 'exocom_no_receivers_total', 'Messages nobody receives'],
      ['errorReplies', 'exocom_error_replies_total', 'exo.error replies with code DELIVERY_FAILED the bus sent'],
    ];
    for (const [counter, name, help] of totals) {
      let reported = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          const current = sources.counters()[counter];
          this.inc(current - reported);
          reported = current;
        },
      });
    }
  }
}

/**
 * Per-message counts as plain numbers, one per label set, handed to a prom-client counter when
 * it is scraped: `counter.inc(labels)` hashes its labels on every call, which would cost each
 * message more than an increment.
 */
class DeferredCounts<L extends string> {
  readonly #counts = new Map<string, { labels: Record<L, string>; count: number }>();

  /** Counts one under `key`, which names the label set `labels`. */
  add(key: string, labels: Record<L, string>): void {
    const entry = this.#counts.get(key);
    if (entry === undefined) this.#counts.set(key, { labels, count: 1 });
    else entry.count += 1;
  }

  flushInto(counter: Counter<L>): void {
    for (const entry of this.#counts.values()) {
      if (entry.count === 0) continue;
      counter.inc(entry.labels, entry.count);
      entry.count = 0;
    }
  }
}
