import { MessageRejectedError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('max payload', () => {
  it("a message larger than the server's max_payload is refused as HTTP refuses a body over its limit", async () => {
    await using server = await startNatsServer();
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    web.on('error', () => {});
    const error = await web.send('upload', 'x'.repeat(2 * 1024 * 1024)).sent.catch((error: Error) => error);
    expect(error).toBeInstanceOf(MessageRejectedError);
    expect(error).toMatchObject({ messageName: 'upload', status: 413 });
  });
});
