export type { WebServerOptions } from './web-server.js';
export { WebServer } from './web-server.js';
