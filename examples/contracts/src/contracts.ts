import { defineContracts, type InferMessages, type InferOutcome, type InferReply } from '@exorelay/contracts';
import * as z from 'zod';

const User = z.object({ id: z.string(), name: z.string(), email: z.email() });
const AccountId = z.string().min(1);
/** Money is counted in cents, so it stays an exact integer. */
const Cents = z.number().int().positive();
const FilePath = z.string().min(1);

/**
 * The messages of the demo's services, declared once for the services that answer them and the
 * clients that send them. `new ExoRelay({ …, contracts })` types both ends from this module and
 * validates every message and reply on the wire.
 */
export const contracts = defineContracts({
  'users.create': {
    description: 'Creates a user; a taken email address is refused.',
    payload: z.object({ name: z.string().min(1), email: z.email() }),
    replies: {
      'users.created': User,
      'users.exists': z.object({ email: z.email() }),
    },
  },
  'users.list': {
    description: 'Lists every user.',
    replies: { 'users.listed': z.object({ users: z.array(User) }) },
  },
  transfer: {
    description: 'Moves money from one account to another.',
    payload: z.object({ from: AccountId, to: AccountId, amount: Cents, requestedBy: z.string().min(1) }),
    replies: {
      transferred: z.object({ transactionId: z.string(), balance: z.number().int() }),
      pending: z.object({ transactionId: z.string(), reason: z.string() }),
      'transaction limit exceeded': z.object({ limit: Cents }),
      'daily limit exceeded': z.object({ limit: Cents, remainingToday: z.number().int().nonnegative() }),
      'insufficient funds': z.object({ balance: z.number().int(), missing: Cents }),
      'unknown account': z.object({ account: AccountId }),
      unauthorized: z.object({ requestedBy: z.string(), account: AccountId }),
      'internal error': z.object({ message: z.string() }),
    },
  },
  'file.copy': {
    description: 'Copies a file, reporting progress as it goes.',
    payload: z.object({ from: FilePath, to: FilePath }),
    replies: {
      'file.copying': z.object({
        copiedBytes: z.number().int().nonnegative(),
        totalBytes: z.number().int().nonnegative(),
      }),
      'file.copied': z.object({ from: FilePath, to: FilePath, bytes: z.number().int().nonnegative() }),
      'file.not-found': z.object({ path: FilePath }),
    },
    progress: ['file.copying'],
  },
  'file.read': {
    description: 'Streams a file in chunks of base64 data.',
    payload: z.object({ path: FilePath, chunkSize: z.number().int().positive().max(1_048_576).default(65_536) }),
    replies: {
      'file.read-chunk': z.object({ offset: z.number().int().nonnegative(), data: z.base64() }),
      'file.read-done': z.object({ bytes: z.number().int().nonnegative() }),
      'file.not-found': z.object({ path: FilePath }),
    },
    progress: ['file.read-chunk'],
  },
});

/** The message types of the demo, for `ExoRelay<DemoMessages>` annotations. */
export type DemoMessages = InferMessages<typeof contracts>;
export type User = z.infer<typeof User>;
export type TransferOutcome = InferOutcome<typeof contracts, 'transfer'>;
/** Every reply `transfer` can get, discriminated on `outcome`. */
export type TransferReply = InferReply<typeof contracts, 'transfer'>;
