import * as z from 'zod';
import { defineContracts } from '../../src/index.js';

/** A small set of messages that covers each kind: request/reply, several outcomes, progress, events. */
export const contracts = defineContracts({
  'users.create': {
    payload: z.object({ name: z.string().min(1), role: z.enum(['admin', 'member']).default('member') }),
    replies: {
      'users.created': z.object({ id: z.string(), name: z.string(), role: z.enum(['admin', 'member']) }),
      'users.invalid': z.object({ reason: z.string() }),
    },
  },
  'users.list': {
    replies: { 'users.listed': z.array(z.object({ id: z.string(), name: z.string() })) },
  },
  'file.copy': {
    payload: z.object({ from: z.string(), to: z.string() }),
    replies: { 'file.copying': z.object({ percent: z.number().min(0).max(100) }), 'file.copied': null },
    progress: ['file.copying'],
  },
  'users.deleted': { payload: z.object({ id: z.string() }), durable: true },
});
