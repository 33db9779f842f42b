export type { HttpTransportOptions } from './http-transport.js';
export { httpTransport } from './http-transport.js';
