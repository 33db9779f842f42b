import { randomUUID } from 'node:crypto';
import { contracts } from '@exorelay/example-contracts';
import { defineService } from '@exorelay/service';

export interface User {
  id: string;
  name: string;
  email: string;
}

/** The service's "database": opened by beforeAll, closed by afterAll. */
let users = new Map<string, User>();

/**
 * The users service: keeps users in memory. `users.create` answers `users.created`, or
 * `users.exists` when the email is taken; `users.list` answers `users.listed`.
 * Run it with `exoservice run` in this folder (package.json says where it is).
 */
export default defineService({
  name: 'users',
  contracts,
  receives: ['users.create', 'users.list'],
  beforeAll: () => {
    users = new Map();
  },
  handlers: {
    'users.create': async ({ name, email }, { reply }) => {
      const taken = [...users.values()].find((user) => user.email === email);
      if (taken !== undefined) return reply('users.exists', { email });
      const user = { id: randomUUID(), name, email };
      users.set(user.id, user);
      return reply('users.created', user);
    },
    'users.list': (_payload, { reply }) => reply('users.listed', { users: [...users.values()] }),
  },
  afterAll: () => {
    users.clear();
  },
});
