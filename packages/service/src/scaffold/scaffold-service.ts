import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';
import { serviceTemplate } from './templates.js';

/**
 * Writes a new service into `folder` (which must be empty or absent): contracts, one typed
 * handler, a test with `@exorelay/testing`, `package.json` with its manifest, `tsconfig.json`.
 * Resolves with the files written, relative to `folder`.
 *
 * @example
 * await scaffoldService({ name: 'greeter', folder: './greeter' })
 */
export async function scaffoldService(options: { name: string; folder: string }): Promise<string[]> {
  const { name, folder } = options;
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new ConfigError(
      `a service name is lower-case letters, digits and '-', starting with a letter; got '${name}'`,
    );
  }
  if (await hasEntries(folder))
    throw new ConfigError(`${folder} exists and is not empty: choose another name or --dir`);
  const files = serviceTemplate(name, { exorelay: '^0.1.0', typescript: '~5.9.3' });
  for (const [path, content] of Object.entries(files)) {
    const file = join(folder, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content, { flag: 'wx' });
  }
  return Object.keys(files);
}

async function hasEntries(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
