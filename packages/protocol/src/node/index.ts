/**
 * The Node.js side of the protocol's HTTP endpoints, shared by the relay, the bus, the frontend
 * bridge and the testing kit. Kept apart from the main entry so browser bundles never see it.
 */

export { bearerHeader, bearerToken, Secret } from './bearer.js';
export { answerJson, answerText, drainThenAnswer } from './http-answers.js';
export { isJsonMediaType } from './json-media-type.js';
export type { PostTextOptions, RequestDispatcher, TextAnswer } from './post-text.js';
export { postText } from './post-text.js';
export type { BodyResult, ReadBodyOptions } from './read-body.js';
export { readBody, refuseOversizedUploads } from './read-body.js';
export { requestPath } from './request-path.js';
export type { ServerTlsOptions } from './server-lifecycle.js';
export { closeGracefully, createHttpServer, listenOn } from './server-lifecycle.js';
