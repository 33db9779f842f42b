import { debuglog } from 'node:util';

/** Diagnostics, printed when NODE_DEBUG=exorelay:sse. */
export const debug = debuglog('exorelay:sse');
