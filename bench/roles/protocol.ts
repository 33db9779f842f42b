/** What the bench process and its role processes say to each other over IPC. */
import type { BusRoutes } from '../baselines/minimal-4hop-bus.js';
import type { Sample } from '../harness/measure.js';
import type { Wiring } from '../harness/rig.js';
import type { StreamMeasure } from '../harness/trials.js';
import type { Role, SystemKind } from './parts.js';

/** One round of work for the client process. */
export type Work =
  | { kind: 'requests'; count: number; concurrency: number; latencies: boolean }
  | { kind: 'events'; count: number; concurrency: number }
  | { kind: 'stream'; chunks: number; streams: number; awaited: boolean; measure: StreamMeasure };

export type Command =
  | { command: 'start'; system: string; kind: SystemKind; role: Role; wiring: Wiring }
  | { command: 'route'; routes: BusRoutes }
  | { command: 'run'; work: Work }
  /** CPU time the process used so far, user and system, in µs: answered as `{ cpu }`. */
  | { command: 'cpu' }
  | { command: 'close' };

/** Parent → role process: a command and the id its answer carries. */
export type Request = Command & { id: number };

/** What `start` answers: the ports the role listens on. */
export interface Started {
  ports: readonly number[];
  pid: number;
}

/** Role process → parent: an answer to a request, or a count of deliveries so far (sent as it changes). */
export type Message =
  | { type: 'answer'; id: number; value: Started | Sample | null }
  | { type: 'failed'; id: number; error: string }
  | { type: 'delivered'; count: number };
