import { rm } from 'node:fs/promises';
import { contracts } from '@exorelay/example-contracts';
import { seedDemoFiles } from '@exorelay/example-files';
import { usersService } from '@exorelay/example-users';
import { startService } from '@exorelay/service';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-setup/chromium.js';
import { startInProcess } from '../src/index.js';

const silent = { info() {}, warn() {}, error() {} };

describe("ExoCom's dashboard in a real browser", () => {
  it('shows the demo landscape and updates when a message flows and when an instance leaves', async () => {
    const files = await seedDemoFiles();
    await using _files = { [Symbol.asyncDispose]: () => rm(files.root, { recursive: true, force: true }) };
    await using landscape = await startInProcess({
      filesRoot: files.root,
      log: () => {},
      colors: false,
      progressPace: 0,
      clients: ['tester'],
    });
    await using browser = await launchChromium();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`http://127.0.0.1:${landscape.exocomPort}/dashboard`);
    await page.locator('#connection[data-state="open"]').waitFor();
    for (const service of ['users', 'files', 'web'])
      await page.locator(`.service[data-service="${service}"]`).waitFor();
    const usersInstances = page.locator('.service[data-service="users"] .instance[data-up="true"]');
    expect(await usersInstances.count()).toBe(1);

    // A message flows: it shows with its sender, its reply with a latency, and a rate.
    const client = new ExoRelay({
      serviceName: 'tester',
      exocomPort: landscape.exocomPort,
      contracts,
      token: landscape.tokens.tester!,
      http: { inbound: { token: landscape.busToken } },
    });
    await using _client = Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
    await client.listen(0);
    await client.request('users.create', { name: 'Ada', email: 'ada@example.com' });
    const message = page.locator('#flow li[data-name="users.create"][data-sender="tester"]');
    await message.waitFor();
    expect(await message.textContent()).toMatch(/tester → users {2}users\.create/);
    const reply = page.locator('#flow li[data-name="users.created"]');
    await reply.waitFor();
    expect(await reply.textContent()).toMatch(/users → tester {2}users\.created \(reply\) \d+ ms/);
    await page.locator('#rates tr[data-name="users.create"]').waitFor();

    // A second users instance joins, then leaves.
    const second = await startService(usersService, {
      exocomPort: landscape.exocomPort,
      log: silent,
      exocomToken: landscape.tokens.users!,
      busToken: landscape.busToken,
    });
    await usersInstances.nth(1).waitFor();
    await second.stop();
    await page.locator('.service[data-service="users"] .instance').nth(1).waitFor({ state: 'detached' });
    await page.locator('#flow li.instance-change', { hasText: /users .* left \(deregistration\)/ }).waitFor();

    // The filter narrows services and the flow to one name.
    await page.locator('#filter').fill('file.');
    expect(await page.locator('.service[data-service="users"]').isHidden()).toBe(true);
    expect(await page.locator('.service[data-service="files"]').isVisible()).toBe(true);
    expect(await message.isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
