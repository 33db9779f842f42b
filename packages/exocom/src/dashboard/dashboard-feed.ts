import type { IncomingMessage, ServerResponse } from 'node:http';
import { debug } from '../debug.js';
import type { FlowEvent } from '../flow-log.js';
import type { InstanceChange } from '../routing-table.js';

/** Where the feed gets its events: the bus's `flow` and `instance` events, and `/status`. */
export interface DashboardSource {
  /** Listens to the bus's events until the returned function is called. */
  subscribe(listeners: { flow(event: FlowEvent): void; instance(change: InstanceChange): void }): () => void;
  status(): unknown;
}

/** How often each page gets a fresh snapshot of the landscape (instances, in-flight, buffers), in ms. */
const snapshotInterval = 1000;

interface Viewer {
  response: ServerResponse;
  /** Events left out while the page's connection was full; told once it drains. */
  skipped: number;
  congested: boolean;
}

/**
 * `GET /dashboard/events`: the events of the flow log, as Server-Sent Events for the dashboard
 * page. `snapshot` (the `/status` answer) on connect and every second, `flow` per message or
 * reply (with `at`, the bus's clock in ms, for latencies), `instance` per change. Listens to
 * the bus only while a page is open, so a bus nobody watches builds no flow events for it. A
 * page that reads too slowly misses events rather than growing the bus's memory; it is told
 * how many with a `skipped` event.
 */
export class DashboardFeed {
  readonly #source: DashboardSource;
  readonly #viewers = new Set<Viewer>();
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(source: DashboardSource) {
    this.#source = source;
  }

  open(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const viewer: Viewer = { response, skipped: 0, congested: false };
    this.#viewers.add(viewer);
    request.socket.setNoDelay(true);
    response.on('close', () => this.#leave(viewer));
    response.on('drain', () => {
      viewer.congested = false;
      if (viewer.skipped > 0) this.#write(viewer, 'skipped', { count: viewer.skipped });
      viewer.skipped = 0;
    });
    this.#write(viewer, 'snapshot', this.#source.status());
    if (this.#viewers.size === 1) this.#watch();
  }

  /** Ends every page's stream; the pages reconnect to the next bus on this address. */
  close(): void {
    for (const viewer of this.#viewers) viewer.response.end();
    this.#viewers.clear();
    this.#stopWatching();
  }

  #watch(): void {
    this.#unsubscribe = this.#source.subscribe({
      flow: (event) => this.#broadcast('flow', { at: Date.now(), ...describeFlow(event) }),
      instance: (change) => this.#broadcast('instance', { at: Date.now(), ...change }),
    });
    this.#timer = setInterval(() => this.#broadcast('snapshot', this.#source.status()), snapshotInterval).unref();
  }

  #stopWatching(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #leave(viewer: Viewer): void {
    this.#viewers.delete(viewer);
    if (this.#viewers.size === 0) this.#stopWatching();
  }

  #broadcast(event: string, data: unknown): void {
    if (this.#viewers.size === 0) return;
    const frame = format(event, data);
    for (const viewer of this.#viewers) {
      if (viewer.congested) {
        viewer.skipped += 1;
        continue;
      }
      viewer.congested = !viewer.response.write(frame);
    }
  }

  #write(viewer: Viewer, event: string, data: unknown): void {
    viewer.congested = !viewer.response.write(format(event, data));
    if (viewer.congested) debug('dashboard viewer is reading slowly');
  }
}

function format(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A flow event as JSON: a failed delivery's error becomes its code, reason and message. */
function describeFlow(event: FlowEvent) {
  if (event.kind !== 'delivery-failed') return event;
  const { error, ...rest } = event;
  return { ...rest, error: { code: error.code, reason: error.reason, message: error.message } };
}
