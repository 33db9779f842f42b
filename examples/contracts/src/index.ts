export type { DemoMessages, TransferOutcome, TransferReply, User } from './contracts.js';
export { contracts } from './contracts.js';
