import { format } from 'node:util';
import type { ServiceLog } from '@exorelay/service';

/** A log that records lines instead of printing them (tests fail on console output). */
export function recordingLog(): ServiceLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message, ...details) => lines.push(`info: ${format(message, ...details)}`),
    warn: (message, ...details) => lines.push(`warn: ${format(message, ...details)}`),
    error: (message, ...details) => lines.push(`error: ${format(message, ...details)}`),
  };
}
