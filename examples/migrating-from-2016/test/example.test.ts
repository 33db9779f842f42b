import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the migrating-from-2016 example', () => {
  it('runs a 2016-style service and a new relay in one landscape, each asking the other', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const result = spawnSync(
      process.execPath,
      ['--conditions=@exorelay/source', '--import', 'tsx', 'examples/migrating-from-2016/src/main.ts'],
      { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
    );

    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual([
      'users asked tweets.count: tweets.counted {"user":"ada","count":3} from tweets',
      'users read the stream of tweets.count: tweets.counted, responseTo is its requestId: true',
      'tweets (2016) asked users.get: users.found {"id":"u1","name":"Ada"}',
      'tweets (2016) asked users.delete: exo.error HANDLER_FAILED',
      'users asked tweets.delete-all, which nobody receives: EXORELAY_NO_RESPONDERS',
      'users sent tweets.delete-all with a callback: error event EXORELAY_NO_RESPONDERS',
      'the bus answers: GET /config 404, GET /status.json 404, GET /services 200, GET /status 200',
      'users emitted: EXORELAY_HANDLER_FAILED, EXORELAY_NO_RESPONDERS',
    ]);
    expect(result.status).toBe(0);
  }, 90_000);
});
