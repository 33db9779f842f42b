import { SSEConfigError } from './errors.js';
import { DEFAULT_HEARTBEAT_INTERVAL } from './sse-format.js';

/** Options of {@link pipeToSSE} and {@link toSSEResponse}. */
export interface SSEOptions {
  /**
   * Write a heartbeat comment this often while the stream is open, in ms, so that proxies keep
   * an idle connection and a dead one is noticed.
   * @default 15000
   * @example pipeToSSE(stream, res, { heartbeatInterval: 5000 })
   */
  heartbeatInterval?: number;
}

export function resolveHeartbeatInterval(options: SSEOptions): number {
  const interval = options.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL;
  if (!(typeof interval === 'number' && interval > 0 && Number.isFinite(interval))) {
    throw new SSEConfigError(`heartbeatInterval must be a positive number of ms, got ${String(interval)}`);
  }
  return interval;
}
