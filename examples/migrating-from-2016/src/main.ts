/**
 * A 2016-style service (`tweets`, wire-level, configured on the bus) and a new one (`users`, an
 * ExoRelay that registers itself) in one landscape on ExoCom, each asking the other. Prints one
 * line per exchange; exits 1 if one went otherwise. docs/migrating-from-2016.md walks through it.
 */
import { once } from 'node:events';
import { startExoCom } from 'exocom';
import { ExoRelay, type ExoRelayError } from 'exorelay';
import { type LegacyContext, LegacyService } from './legacy-service.js';

interface User {
  id: string;
  name: string;
}

async function main(): Promise<void> {
  // The 2016 service, unchanged: it answers tweets.count and asks for users.
  const tweets = new LegacyService('tweets');
  tweets.registerHandler('tweets.count', (payload, { reply }) => {
    void reply('tweets.counted', { user: (payload as { user: string }).user, count: 3 });
  });
  const tweetsPort = await tweets.listen();

  // It never registers: the bus's configuration names it, with its address.
  await using bus = await startExoCom({
    port: 0,
    services: [
      { name: 'tweets', host: '127.0.0.1', port: tweetsPort, receives: ['tweets.count'], sends: ['users.get'] },
    ],
  });
  tweets.connect(bus.port);

  // The new service. `exocommPort`, the 2016 spelling, is still accepted.
  const users = new ExoRelay({ serviceName: 'users', exocommPort: bus.port, exocomHost: '127.0.0.1' });
  const usersErrors: string[] = [];
  users.on('error', (error) => usersErrors.push((error as ExoRelayError).code));
  users.registerHandler('users.get', (payload, { reply }) =>
    reply('users.found', { id: (payload as { id: string }).id, name: 'Ada' }),
  );
  users.registerHandler('users.delete', () => {
    throw new Error('users cannot be deleted yet');
  });
  await users.listen(0); // a promise now: resolves once the bus routes users.* here

  try {
    const counted = await users.request('tweets.count', { user: 'ada' });
    console.log(
      `users asked tweets.count: ${counted.outcome} ${JSON.stringify(counted.payload)} from ${counted.sender}`,
    );

    // send returns the stream of replies; the id 2016's send returned is on it.
    const stream = users.send('tweets.count', { user: 'bob' });
    const requestId = stream.requestId;
    for await (const reply of stream) {
      console.log(
        `users read the stream of tweets.count: ${reply.outcome}, responseTo is its requestId: ${reply.responseTo === requestId}`,
      );
    }

    const found = await new Promise<string>((resolve) => {
      void tweets.send('users.get', { id: 'u1' }, (user, { outcome }: LegacyContext) => {
        resolve(`${outcome} ${JSON.stringify(user as User)}`);
      });
    });
    console.log(`tweets (2016) asked users.get: ${found}`);

    const deleted = await new Promise<string>((resolve) => {
      void tweets.send('users.delete', { id: 'u1' }, (result, { outcome }: LegacyContext) => {
        // The one line a 2016 callback needs now: a failed handler answers exo.error.
        if (outcome === 'exo.error') return resolve(`exo.error ${(result as { code: string }).code}`);
        resolve(`deleted ${JSON.stringify(result)}`);
      });
    });
    console.log(`tweets (2016) asked users.delete: ${deleted}`);

    const nobody = await users.request('tweets.delete-all').then(
      () => 'an answer',
      (error: ExoRelayError) => error.code,
    );
    console.log(`users asked tweets.delete-all, which nobody receives: ${nobody}`);

    // The callback form has no caller to reject: the failure becomes an error event.
    const failed = once(users, 'error');
    users.send('tweets.delete-all', {}, () => {});
    const [noResponders] = (await failed) as [ExoRelayError];
    console.log(`users sent tweets.delete-all with a callback: error event ${noResponders.code}`);

    const statuses = await Promise.all(
      ['/config', '/status.json', '/services', '/status'].map(async (path) => {
        const response = await fetch(`http://127.0.0.1:${bus.port}${path}`);
        await response.body?.cancel();
        return `GET ${path} ${response.status}`;
      }),
    );
    console.log(`the bus answers: ${statuses.join(', ')}`);
  } finally {
    await users.close();
    await tweets.close();
  }
  console.log(`users emitted: ${usersErrors.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
