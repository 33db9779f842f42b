import { defineContracts } from '@exorelay/contracts';
import * as z from 'zod';

/** A small public API, declared once for the server's relay and the page. */
export const contracts = defineContracts({
  'users.create': {
    payload: z.object({ name: z.string().min(1) }),
    replies: {
      'users.created': z.object({ id: z.string(), name: z.string() }),
      'users.exists': z.object({ name: z.string() }),
    },
  },
  'file.copy': {
    payload: z.object({ from: z.string(), to: z.string() }),
    replies: {
      'file.copying': z.object({ copiedBytes: z.number() }),
      'file.copied': z.object({ bytes: z.number() }),
    },
    progress: ['file.copying'],
  },
  'users.list': {
    replies: { 'users.listed': z.object({ users: z.array(z.string()) }) },
  },
  'users.changed': {
    payload: z.object({ id: z.string() }),
  },
});
