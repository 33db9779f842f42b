import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

/** Resolves a path a client sent inside the service's root folder; `undefined` if it escapes it. */
export function insideRoot(root: string, path: string): string | undefined {
  const resolved = resolve(root, path);
  const fromRoot = relative(root, resolved);
  return fromRoot.startsWith('..') || isAbsolute(fromRoot) ? undefined : resolved;
}

export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}
