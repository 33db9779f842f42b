import { defineContracts } from '@exorelay/contracts';
import { ExoRelay, type Reply } from 'exorelay';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';
import { type LegacyMessage, type LegacyService, startLegacyService } from './support/legacy-service.js';

/** A Standard Schema that takes any object: these tests are about routing, not validation. */
const anything = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value: unknown) => ({ value: value as Record<string, unknown> }),
    types: undefined as unknown as { input: Record<string, unknown>; output: Record<string, unknown> },
  },
} as const;

/** The requester's contracts: `file.copy` goes on after `file.copying`, ends on `file.copied`. */
const webContracts = defineContracts({
  'file.copy': {
    payload: anything,
    replies: { 'file.copying': anything, 'file.copied': anything },
    progress: ['file.copying'],
  },
  'files.stat': { payload: anything, replies: { 'files.stat-result': anything } },
  'files.touched': { payload: anything },
});

/**
 * Two 2016 services known from the configuration — `files` receives and sends, `cli` only sends —
 * and two of ours that register themselves: `web` (with contracts) and `users` (without), all
 * on one ExoCom.
 */
async function startMixedLandscape() {
  const files = await startLegacyService('files');
  const cli = await startLegacyService('cli');
  const bus = await startBus({
    healthCheckInterval: 0,
    services: [
      {
        name: 'files',
        host: '127.0.0.1',
        port: files.port,
        receives: ['file.copy', 'files.stat', 'files.touched'],
        sends: ['users.get', 'users.created'],
      },
      { name: 'cli', host: '127.0.0.1', port: cli.port, sends: ['users.get'] },
    ],
  });
  const usersCreated: { payload: unknown; sender: string | undefined }[] = [];
  const users = await startService(bus, 'users', {
    'users.get': (payload, { reply }) => reply('users.found', { id: (payload as { id: string }).id, name: 'Ada' }),
    'users.delete': () => {
      throw new Error('users cannot be deleted here');
    },
    'users.created': (payload, { sender }) => {
      usersCreated.push({ payload, sender });
    },
  });
  const web = new ExoRelay({
    serviceName: 'web',
    exocomPort: bus.port,
    exocomHost: '127.0.0.1',
    contracts: webContracts,
  });
  const webErrors: Error[] = [];
  web.on('error', (error) => webErrors.push(error));
  await web.listen(0);
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  return {
    bus,
    files,
    cli,
    users,
    web,
    usersCreated,
    /** What went wrong quietly: errors either relay emitted, process warnings. */
    complaints: () => [...webErrors, ...users.errors, ...warnings],
    /** The first message `service` took named `name`, once it arrived. */
    async arrived(service: LegacyService, name: string): Promise<LegacyMessage> {
      await eventually(() => service.received.some((message) => message.name === name));
      return service.received.find((message) => message.name === name)!;
    },
    async close() {
      process.off('warning', onWarning);
      await Promise.all([web.close(), users.close()]);
      await bus.close();
      await Promise.all([files[Symbol.asyncDispose](), cli[Symbol.asyncDispose]()]);
    },
  };
}

type MixedLandscape = Awaited<ReturnType<typeof startMixedLandscape>>;

describe('a landscape of 2016 services and ours on one ExoCom', () => {
  let landscape: MixedLandscape;
  beforeEach(async () => {
    landscape = await startMixedLandscape();
  });
  afterEach(async () => {
    await landscape.close();
  });

  it('single reply, ours asking a 2016 service', async () => {
    const { bus, files, web, arrived } = landscape;

    const answered = web.request('files.stat', { path: 'a.txt' });
    const stat = await arrived(files, 'files.stat');
    await files.reply(bus.port, stat, 'files.stat-result', { size: 42 });

    expect(stat).toMatchObject({ sender: 'web', payload: { path: 'a.txt' } });
    expect(await answered).toMatchObject({
      outcome: 'files.stat-result',
      payload: { size: 42 },
      sender: 'files',
      final: true,
    });
    expect(landscape.complaints()).toEqual([]);
  });

  it('single reply, a 2016 service asking ours', async () => {
    const { bus, files, arrived } = landscape;

    await files.send(bus.port, 'users.get', { requestId: 'get-1', payload: { id: 'u1' } });

    expect(await arrived(files, 'users.found')).toMatchObject({
      sender: 'users',
      responseTo: 'get-1',
      payload: { id: 'u1', name: 'Ada' },
    });
    expect(landscape.complaints()).toEqual([]);
  });

  it('several replies from a 2016 replier, none with more: with contracts the requester gets every one and ends on the final outcome', async () => {
    const { bus, files, web, arrived } = landscape;
    const replies: Reply[] = [];
    const read = (async () => {
      for await (const reply of web.send('file.copy', { from: 'a.txt', to: 'b.txt' })) replies.push(reply);
    })();
    const copy = await arrived(files, 'file.copy');

    // One reply at a time, as a copy makes progress: a 2016 reply has no seq to restore order by.
    await files.reply(bus.port, copy, 'file.copying', { percent: 50 });
    await eventually(() => replies.length === 1);
    await files.reply(bus.port, copy, 'file.copying', { percent: 100 });
    await eventually(() => replies.length === 2);
    await files.reply(bus.port, copy, 'file.copied', { to: 'b.txt' });
    await read;

    expect(replies.map(({ outcome, payload, final }) => ({ outcome, payload, final }))).toEqual([
      { outcome: 'file.copying', payload: { percent: 50 }, final: false },
      { outcome: 'file.copying', payload: { percent: 100 }, final: false },
      { outcome: 'file.copied', payload: { to: 'b.txt' }, final: true },
    ]);
    expect(web.stats.pendingReplyStreams).toBe(0);
    expect(landscape.complaints()).toEqual([]);
  });

  it('several replies from a 2016 replier, without contracts: the first is final, the later ones are dropped quietly', async () => {
    const { bus, files, users, arrived } = landscape;

    const answered = users.request('file.copy', { from: 'a.txt', to: 'b.txt' });
    const copy = await arrived(files, 'file.copy');
    await files.reply(bus.port, copy, 'file.copying', { percent: 50 });
    expect(await answered).toMatchObject({ outcome: 'file.copying', payload: { percent: 50 }, final: true });

    const routedBefore = bus.counters.repliesRouted;
    await files.reply(bus.port, copy, 'file.copying', { percent: 100 });
    await files.reply(bus.port, copy, 'file.copied', { to: 'b.txt' });
    // The relay took both (200), and nobody waits for them any more.
    await eventually(() => bus.counters.repliesRouted === routedBefore + 2);

    expect(bus.counters.failed).toBe(0);
    expect(users.stats.pendingReplyStreams).toBe(0);
    expect(landscape.complaints()).toEqual([]);
  });

  it('fire-and-forget from ours to a 2016 service', async () => {
    const { files, web, arrived } = landscape;

    web.send('files.touched', { path: 'a.txt' });

    expect(await arrived(files, 'files.touched')).toMatchObject({ sender: 'web', payload: { path: 'a.txt' } });
    expect(web.stats.pendingReplyStreams).toBe(0);
    expect(landscape.complaints()).toEqual([]);
  });

  it('fire-and-forget from a 2016 service to ours', async () => {
    const { bus, files, usersCreated } = landscape;

    expect(await files.send(bus.port, 'users.created', { requestId: 'created-1', payload: { id: 'u2' } })).toEqual({
      status: 200,
      body: '{"receivers":1}',
    });

    await eventually(() => usersCreated.length === 1);
    expect(usersCreated).toEqual([{ payload: { id: 'u2' }, sender: 'files' }]);
    expect(landscape.complaints()).toEqual([]);
  });

  it('replies to a 2016 service configured with sends only and its address reach it', async () => {
    const { bus, cli, arrived } = landscape;

    await cli.send(bus.port, 'users.get', { requestId: 'cli-get-1', payload: { id: 'u3' } });

    expect(await arrived(cli, 'users.found')).toMatchObject({
      sender: 'users',
      responseTo: 'cli-get-1',
      payload: { id: 'u3', name: 'Ada' },
    });
    expect(landscape.complaints()).toEqual([]);
  });

  it('a handler of ours that fails answers a 2016 requester exo.error, at its /run/exo.error', async () => {
    const { bus, cli, users, arrived } = landscape;

    await cli.send(bus.port, 'users.delete', { requestId: 'cli-delete-1', payload: { id: 'u3' } });

    expect(await arrived(cli, 'exo.error')).toMatchObject({
      sender: 'users',
      responseTo: 'cli-delete-1',
      payload: { code: 'HANDLER_FAILED' },
    });
    expect(users.errors.map((error) => (error as { code?: string }).code)).toEqual(['EXORELAY_HANDLER_FAILED']);
  });
});
