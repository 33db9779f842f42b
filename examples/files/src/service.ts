import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { contracts } from '@exorelay/example-contracts';
import { defineService } from '@exorelay/service';
import { seedDemoFiles } from './demo-files.js';
import { fileSize, insideRoot } from './file-system.js';

export interface FilesServiceOptions {
  /**
   * The folder whose files the service copies and reads.
   * @default $FILES_ROOT, else a fresh folder seeded with the demo's files
   */
  root?: string;
  /**
   * Pause after each progress reply, so a person can watch the copy (the demo sets it).
   * @default $FILES_PROGRESS_PACE, else 0
   */
  progressPace?: number;
}

/**
 * The files service: `file.copy` reports `file.copying` progress (bytes copied so far) and ends
 * with `file.copied`; `file.read` streams the file as base64 `file.read-chunk` replies and ends
 * with `file.read-done`. Paths are relative to `root`; a missing file answers `file.not-found`.
 */
export function filesService(options: FilesServiceOptions = {}) {
  let root = '';
  let progressPace = 0;
  return defineService({
    name: 'files',
    contracts,
    receives: ['file.copy', 'file.read'],
    beforeAll: async () => {
      root = options.root ?? process.env.FILES_ROOT ?? (await seedDemoFiles()).root;
      progressPace = options.progressPace ?? Number(process.env.FILES_PROGRESS_PACE ?? 0);
    },
    handlers: {
      'file.copy': async ({ from, to }, { reply }) => {
        const source = insideRoot(root, from);
        const target = insideRoot(root, to);
        const size = source === undefined ? undefined : await fileSize(source);
        if (source === undefined || target === undefined || size === undefined) {
          return reply('file.not-found', { path: from });
        }
        const output = createWriteStream(target);
        let copiedBytes = 0;
        // About twenty progress replies per copy, whatever the file's size.
        for await (const chunk of createReadStream(source, { highWaterMark: Math.max(1, Math.ceil(size / 20)) })) {
          if (!output.write(chunk)) await once(output, 'drain');
          copiedBytes += (chunk as Buffer).length;
          await reply.progress('file.copying', { copiedBytes, totalBytes: size });
          if (progressPace > 0) await delay(progressPace);
        }
        output.end();
        await once(output, 'finish');
        return reply('file.copied', { from, to, bytes: copiedBytes });
      },
      'file.read': async ({ path, chunkSize }, { reply }) => {
        const source = insideRoot(root, path);
        if (source === undefined || (await fileSize(source)) === undefined) return reply('file.not-found', { path });
        let offset = 0;
        for await (const chunk of createReadStream(source, { highWaterMark: chunkSize })) {
          await reply.progress('file.read-chunk', { offset, data: (chunk as Buffer).toString('base64') });
          offset += (chunk as Buffer).length;
        }
        return reply('file.read-done', { bytes: offset });
      },
    },
  });
}

/** What `exoservice run` starts: settings from FILES_ROOT and FILES_PROGRESS_PACE. */
export default filesService();
