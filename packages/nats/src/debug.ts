import { debuglog } from 'node:util';

/** Diagnostics, printed when NODE_DEBUG=exorelay-nats (or `exorelay*`). */
export const debug = debuglog('exorelay-nats');
