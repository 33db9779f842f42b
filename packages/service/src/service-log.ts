import { format } from 'node:util';

/** Where a service writes its log lines; `ctx.log` prefixes them with the service and message name. */
export interface ServiceLog {
  /** A line about normal operation (started, ready, stopping). */
  info(message: string, ...details: unknown[]): void;
  /** Something went wrong that the service survives. */
  warn(message: string, ...details: unknown[]): void;
  /** Something failed. */
  error(message: string, ...details: unknown[]): void;
}

/**
 * Lines to stdout (info) and stderr (warn, error), each starting with `prefix`, formatted like
 * `console.log` (`%s`, `%o` …).
 */
export function consoleLog(prefix: string): ServiceLog {
  const line = (message: string, details: unknown[]) => `${prefix}${format(message, ...details)}\n`;
  return {
    info: (message, ...details) => process.stdout.write(line(message, details)),
    warn: (message, ...details) => process.stderr.write(line(`warning: ${message}`, details)),
    error: (message, ...details) => process.stderr.write(line(`error: ${message}`, details)),
  };
}

/** The same log with a longer prefix, for one handler or hook. */
export function prefixedLog(log: ServiceLog, prefix: string): ServiceLog {
  return {
    info: (message, ...details) => log.info(`${prefix}${message}`, ...details),
    warn: (message, ...details) => log.warn(`${prefix}${message}`, ...details),
    error: (message, ...details) => log.error(`${prefix}${message}`, ...details),
  };
}
