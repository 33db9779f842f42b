import type { Writable } from 'node:stream';

/**
 * Whether to colour what goes to `stream`. A terminal answers itself (`hasColors()` reads
 * NO_COLOR, FORCE_COLOR, NODE_DISABLE_COLORS and TERM); a pipe or file gets colours only when
 * FORCE_COLOR asks for them.
 */
export function canColor(
  stream: Writable & { isTTY?: boolean; hasColors?: () => boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (stream.isTTY === true && typeof stream.hasColors === 'function') return stream.hasColors();
  const force = env.FORCE_COLOR;
  return force !== undefined && force !== '0' && force !== 'false';
}
