export type { ReadyInfo } from './ready-line.js';
export { formatReadyLine, parseReadyLine } from './ready-line.js';
export type { RunnableService } from './run-service.js';
export { runService } from './run-service.js';
