import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineService, InvalidDefinitionError, readManifest, startService } from '@exorelay/service';
import { startExoCom } from 'exocom';
import { describe, expect, it } from 'vitest';
import { recordingLog } from './support/silent-log.js';

const service = defineService({
  name: 'pinger',
  handlers: { 'ping.ping': (_payload, { reply }) => reply('ping.pong') },
});

async function folderWith(files: Record<string, string>) {
  const folder = await mkdtemp(join(tmpdir(), 'exoservice-manifest-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(folder, name), content);
  return folder;
}

describe('the manifest', () => {
  it('reads name, main, receives and sends from service.yml', async () => {
    const folder = await folderWith({
      'service.yml': 'name: pinger-2\nmain: ./src/service.ts\nreceives: [ping.ping]\nsends: [ping.log]\n',
    });
    try {
      expect(await readManifest(folder)).toEqual({
        file: join(folder, 'service.yml'),
        name: 'pinger-2',
        packageName: undefined,
        main: join(folder, 'src/service.ts'),
        receives: ['ping.ping'],
        sends: ['ping.log'],
      });
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  it("reads the exoservice field of package.json, with the package's main as default", async () => {
    const folder = await folderWith({
      'package.json': JSON.stringify({ name: '@acme/users', main: 'dist/service.js', exoservice: { receives: [] } }),
    });
    try {
      expect(await readManifest(folder)).toMatchObject({
        name: undefined,
        packageName: 'users',
        main: join(folder, 'dist/service.js'),
      });
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  it('names the service, and refuses a service whose handlers differ from its receives', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    const log = recordingLog();
    await using renamed = await startService(service, {
      exocomPort: bus.port,
      log,
      manifest: { name: 'pinger-2', receives: ['ping.ping'], sends: undefined },
    });
    expect(renamed.serviceName).toBe('pinger-2');
    await expect(
      startService(service, {
        exocomPort: bus.port,
        log,
        manifest: { name: undefined, receives: ['ping.other'], sends: [] },
      }),
    ).rejects.toThrow(
      new InvalidDefinitionError('the manifest says the service receives ping.other, but it has no handler'),
    );
  });
});
