import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

const workerScript = fileURLToPath(new URL('./support/worker-process.ts', import.meta.url));

function message(child: ChildProcess, text: string): Promise<unknown> {
  return pEvent(child, 'message', { filter: (received) => received === text });
}

describe('rolling restart', () => {
  it('an instance in another process closes under steady traffic: no requester sees an error, its slow request is answered', async () => {
    await using server = await startNatsServer();
    const child = fork(workerScript, [server.url], {
      execArgv: ['--conditions=@exorelay/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = pEvent(child, 'exit', { rejectionEvents: [] });
    try {
      await message(child, 'ready');
      await using _sibling = await startNatsRelay(server.url, 'worker', {
        setup: (relay) => relay.registerHandler('job', (n, { reply }) => reply('done', { n, by: 'sibling' })),
      });
      await using web = await startNatsRelay(server.url, 'web', { listen: false });
      // Only the child handles 'slow': its handler is in flight when the child closes.
      const entered = message(child, 'entered');
      const slow = web.request('slow', 1, { timeout: 20_000 }).then((reply) => reply.payload);
      await entered;
      const failures: Error[] = [];
      let answered = 0;
      let running = true;
      const traffic = Array.from({ length: 4 }, async () => {
        for (let n = 0; running; n += 1) {
          await web.request('job', n, { timeout: 20_000 }).then(
            () => {
              answered += 1;
            },
            (error: Error) => failures.push(error),
          );
        }
      });
      const closed = message(child, 'closed');
      child.send('close');
      // Traffic keeps flowing while the child stops receiving and waits for its slow handler.
      const before = answered;
      await expect.poll(() => answered - before, { timeout: 10_000 }).toBeGreaterThanOrEqual(200);
      child.send('release');
      await closed;
      const afterClose = answered;
      await expect.poll(() => answered - afterClose, { timeout: 10_000 }).toBeGreaterThanOrEqual(100);
      running = false;
      await Promise.all(traffic);
      expect(failures).toEqual([]);
      expect(await slow).toEqual({ n: 1, by: 'child' });
    } finally {
      if (child.exitCode === null) child.kill();
      await exited;
    }
  });
});
