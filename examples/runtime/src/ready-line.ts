/**
 * A service process started by the demo prints one line when it is ready; the demo reads it
 * to learn the port. JSON after a fixed prefix keeps the rest of stdout free for logs.
 */
const prefix = 'ready ';

export interface ReadyInfo {
  service: string;
  /** The port the service listens on: its relay's, or the web server's HTTP port. */
  port: number;
}

export function formatReadyLine(info: ReadyInfo): string {
  return `${prefix}${JSON.stringify(info)}`;
}

export function parseReadyLine(line: string): ReadyInfo | undefined {
  if (!line.startsWith(prefix)) return undefined;
  const info = JSON.parse(line.slice(prefix.length)) as ReadyInfo;
  return typeof info.service === 'string' && Number.isInteger(info.port) ? info : undefined;
}
