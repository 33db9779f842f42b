import type { ExoRelay, MessageMap, RelayStats, TransportStatus } from 'exorelay';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Reply latencies from a millisecond to a minute. */
const latencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The Prometheus metrics of one service, in their own registry (so several services in one
 * process never share or clash). The runner counts what passes through the handlers and `ctx`;
 * gauges read `relay.stats` when scraped.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #received: Counter<'name'>;
  readonly #handled: Counter<'name' | 'result'>;
  readonly #handlerDuration: Histogram<'name'>;
  readonly #replies: Counter<'name' | 'outcome'>;
  readonly #sent: Counter<'name'>;
  readonly #requests: Counter<'name' | 'outcome'>;
  readonly #replyLatency: Histogram<'name' | 'outcome'>;
  readonly #statusChanges: Counter<'status'>;
  readonly #errors: Counter<'code'>;

  constructor(serviceName: string, stats: () => RelayStats & { ready: boolean }) {
    this.registry.setDefaultLabels({ service: serviceName });
    const registers = [this.registry];
    this.#received = new Counter({
      name: 'exorelay_messages_received_total',
      help: 'Messages handed to a handler, per name',
      labelNames: ['name'],
      registers,
    });
    this.#handled = new Counter({
      name: 'exorelay_messages_handled_total',
      help: "Handlers that finished, per name and result ('succeeded' or 'failed': it threw)",
      labelNames: ['name', 'result'],
      registers,
    });
    this.#handlerDuration = new Histogram({
      name: 'exorelay_handler_duration_seconds',
      help: 'How long handlers ran, per name',
      labelNames: ['name'],
      buckets: latencyBuckets,
      registers,
    });
    this.#replies = new Counter({
      name: 'exorelay_replies_sent_total',
      help: 'Replies the handlers sent, per message name and outcome (progress replies included)',
      labelNames: ['name', 'outcome'],
      registers,
    });
    this.#sent = new Counter({
      name: 'exorelay_messages_sent_total',
      help: 'Messages sent with ctx.send or ctx.request, per name',
      labelNames: ['name'],
      registers,
    });
    this.#requests = new Counter({
      name: 'exorelay_requests_total',
      help: "Requests (ctx.request) that ended, per name and outcome ('exo.timeout', 'exo.error' … when they failed)",
      labelNames: ['name', 'outcome'],
      registers,
    });
    this.#replyLatency = new Histogram({
      name: 'exorelay_reply_latency_seconds',
      help: 'Time from ctx.request to its final reply, per name and outcome',
      labelNames: ['name', 'outcome'],
      buckets: latencyBuckets,
      registers,
    });
    this.#statusChanges = new Counter({
      name: 'exorelay_transport_status_changes_total',
      help: "Connection state changes of the transport; 'reconnecting' counts reconnect attempts",
      labelNames: ['status'],
      registers,
    });
    this.#errors = new Counter({
      name: 'exorelay_errors_total',
      help: 'Errors the relay reported, per code',
      labelNames: ['code'],
      registers,
    });
    new Gauge({
      name: 'exorelay_in_flight_requests',
      help: 'Sent messages whose reply streams are still open',
      registers,
      collect() {
        this.set(stats().pendingReplyStreams);
      },
    });
    new Gauge({
      name: 'exorelay_active_handlers',
      help: 'Handlers running now (handler concurrency)',
      registers,
      collect() {
        this.set(stats().activeHandlers);
      },
    });
    new Gauge({
      name: 'exorelay_ready',
      help: '1 while the service is routable (what /readyz says), else 0',
      registers,
      collect() {
        this.set(stats().ready ? 1 : 0);
      },
    });
  }

  /** Counts status changes and errors the relay emits. */
  observe<M extends MessageMap>(relay: ExoRelay<M>): void {
    relay.on('status', (status: TransportStatus) => this.#statusChanges.inc({ status: status.type }));
    relay.on('error', (error: Error & { code?: unknown }) =>
      this.#errors.inc({ code: typeof error.code === 'string' ? error.code : error.name }),
    );
  }

  /** A handler started; call the returned function with its result when it ends. */
  handlerStarted(name: string): (result: 'succeeded' | 'failed') => void {
    this.#received.inc({ name });
    const stopTimer = this.#handlerDuration.startTimer({ name });
    return (result) => {
      stopTimer();
      this.#handled.inc({ name, result });
    };
  }

  replySent(name: string, outcome: string): void {
    this.#replies.inc({ name, outcome });
  }

  messageSent(name: string): void {
    this.#sent.inc({ name });
  }

  /** A request went out; call the returned function with its final outcome. */
  requestStarted(name: string): (outcome: string) => void {
    const started = performance.now();
    return (outcome) => {
      this.#requests.inc({ name, outcome });
      this.#replyLatency.observe({ name, outcome }, (performance.now() - started) / 1000);
    };
  }

  /** The text a Prometheus server scrapes. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
