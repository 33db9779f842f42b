import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startCli, startListening } from './support/cli-process.js';

/** A relay on the CLI's bus, closed on dispose. */
function relayOn(port: number, serviceName: string): ExoRelay & AsyncDisposable {
  const relay = new ExoRelay({ serviceName, exocomPort: port, exocomHost: '127.0.0.1' });
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

describe('the exocom CLI', () => {
  it('starts, prints one line per message flow, and exits 0 on SIGTERM', async () => {
    await using cli = startCli(['--port', '0']);
    const port = await startListening(cli);
    await using users = relayOn(port, 'users');
    users.registerHandler('users.create', (payload, { reply }) => reply('users.created', payload));
    await users.listen(0);
    await cli.waitForLine(/^users {2}joined at /);
    await using web = relayOn(port, 'web');
    await web.listen(0);

    await web.request('users.create', { name: 'Jean-Luc' });

    await cli.waitForLine(/^users {2}--\[ users\.created \]-> {2}web \(reply\)$/);
    expect(cli.lines).toContain('web  --[ users.create ]->  users');
    expect(cli.lines).toContain(`users  joined at 127.0.0.1:${users.port} (registration), receives users.create`);
    expect(await cli.stop()).toBe(0);
  });

  it('prints no flow log with --quiet', async () => {
    await using cli = startCli(['--port', '0', '--quiet']);
    const port = await startListening(cli);
    {
      await using web = relayOn(port, 'web');
      await web.listen(0);
      await web.send('users.created').sent;
    }

    expect(await cli.stop()).toBe(0);
    expect(cli.lines).toEqual([`ExoCom listening on http://127.0.0.1:${port}`]);
  });

  it('exits 1 with "port N is already in use" when the port is taken', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      await using cli = startCli(['--port', String(port)]);

      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toBe(`port ${port} is already in use\n`);
    } finally {
      server.close();
    }
  });

  it('routes from a --config file, and exits 1 on a configuration it cannot use', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'exocom-cli-'));
    await using _cleanup = { [Symbol.asyncDispose]: () => rm(directory, { recursive: true }) };
    const config = join(directory, 'landscape.json');
    await writeFile(
      config,
      JSON.stringify([{ name: 'users', host: '127.0.0.1', port: 4001, receives: ['users.create'] }]),
    );
    await using cli = startCli(['--port', '0', '--config', config]);
    const port = await startListening(cli);
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { routes: unknown };
    expect(status.routes).toEqual({ 'users.create': ['users'] });

    await writeFile(config, JSON.stringify([{ name: 'users', port: 4001 }]));
    await using broken = startCli(['--port', '0', '--config', config]);
    expect(await broken.exited).toBe(1);
    expect(broken.stderr()).toBe('services[0].host must be a non-empty string when a port is given\n');
  });

  it('prints its version for --version', async () => {
    await using cli = startCli(['--version']);

    expect(await cli.exited).toBe(0);
    expect(cli.lines).toEqual(['0.1.0']);
  });

  it('explains its usage on a wrong option, and exits 2', async () => {
    await using cli = startCli(['--colour']);

    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/Unknown option '--colour'[\s\S]*Usage: exocom \[--port 3100\]/);
  });

  it('takes the backpressure limits, and exits 2 on one that is not a positive integer', async () => {
    await using cli = startCli([
      '--port',
      '0',
      '--quiet',
      '--max-in-flight-per-instance',
      '1',
      '--max-queued-per-instance',
      '1',
    ]);
    const port = await startListening(cli);
    const registration = { serviceName: 'users', host: '127.0.0.1', port: 9, receives: ['users.create'] };
    await fetch(`http://127.0.0.1:${port}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registration),
    });
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as {
      services: { instances: { port: number }[] }[];
    };
    expect(status.services[0]?.instances[0]?.port).toBe(9);

    await using wrong = startCli(['--port', '0', '--max-busy-wait', 'soon']);
    expect(await wrong.exited).toBe(2);
    expect(wrong.stderr()).toBe("--max-busy-wait must be a positive integer, got 'soon'\n");
  });
});
