import { debuglog } from 'node:util';

/** Diagnostics, printed when NODE_DEBUG=exorelay. */
export const debug = debuglog('exorelay');
