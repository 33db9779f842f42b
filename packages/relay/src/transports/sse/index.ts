export type { SseTransportOptions } from './sse-transport.js';
export { sseTransport } from './sse-transport.js';
