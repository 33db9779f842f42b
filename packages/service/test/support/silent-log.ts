import type { ServiceLog } from '@exorelay/service';

/** A log that records lines instead of printing them (tests fail on console output). */
export function recordingLog(): ServiceLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
    error: (message) => lines.push(`error: ${message}`),
  };
}
