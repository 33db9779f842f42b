// A page that installed only @exorelay/browser (no exorelay, no @types/node) and typed its
// messages by hand: the payloads must be typed, not `any`. Each @ts-expect-error fails the check
// if its line stops being an error.
import { createBrowserRelay } from '@exorelay/browser';

type Messages = {
  'users.create': {
    payload: { name: string };
    replies: { 'users.created': { id: string; name: string }; 'users.invalid': { reason: string } };
    progress: never;
  };
};

const client = createBrowserRelay<Messages>({ url: '/bridge' });

export async function createUser(): Promise<string> {
  const reply = await client.request('users.create', { name: 'Ada' });
  if (reply.outcome === 'users.created') return reply.payload.id;
  // @ts-expect-error the reason is a string: were the payload `any`, this would compile
  const reason: number = reply.payload.reason;
  return String(reason);
}

export function mistakes(): void {
  // @ts-expect-error a name the messages do not declare
  void client.request('users.crate', { name: 'Ada' });
  // @ts-expect-error the payload is checked
  void client.request('users.create', { nome: 'Ada' });
}
