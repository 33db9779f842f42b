import { randomUUID } from 'node:crypto';
import { contracts } from '@exorelay/example-contracts';
import { ExoRelay, type Transport } from 'exorelay';

export interface User {
  id: string;
  name: string;
  email: string;
}

export interface UsersServiceOptions {
  exocomPort: number;
  exocomHost?: string;
  /** Use another transport than HTTP through ExoCom. */
  transport?: Transport;
}

/**
 * The users service: keeps users in memory. `users.create` answers `users.created`, or
 * `users.exists` when the email is taken; `users.list` answers `users.listed`.
 */
export function createUsersService(options: UsersServiceOptions) {
  const users = new Map<string, User>();
  const relay = new ExoRelay({ serviceName: 'users', contracts, ...options });
  relay.registerHandlers({
    'users.create': async ({ name, email }, { reply }) => {
      const taken = [...users.values()].find((user) => user.email === email);
      if (taken !== undefined) return reply('users.exists', { email });
      const user = { id: randomUUID(), name, email };
      users.set(user.id, user);
      return reply('users.created', user);
    },
    'users.list': (_payload, { reply }) => reply('users.listed', { users: [...users.values()] }),
  });
  return relay;
}
