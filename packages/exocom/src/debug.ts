import { debuglog } from 'node:util';

/** Diagnostics, printed when NODE_DEBUG=exocom. */
export const debug = debuglog('exocom');
