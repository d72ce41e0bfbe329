import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BatchWriteItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ensureTable } from '../../infra/local/dynamo-local';
import { testClients, testEndpoint } from '../support/dynamo';
import { REPO_ROOT, startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';
import { openView, VIEWS } from '../support/console-views';

/**
 * docs/walkthrough.md, the console's way, in Debian's chromium: sign in,
 * discover a table, create a plan, attach a one-minute schedule, see a
 * scheduled run (on the local scheduler's injected minute, not a real one),
 * lose the data, restore the newest checkpoint, delete a checkpoint. Each
 * step checks what the walk-through says you see. The test that would have
 * caught the console crash after the first scheduled run.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(REPO_ROOT, 'test-output', 'walkthrough');
/** `npm run screenshots`: the README's picture of the console, from this run. */
const TO_DOCS = process.env.SCREENSHOTS_TO_DOCS === '1';
const describeBrowser: jest.Describe = existsSync(CHROMIUM) || process.env.CI ? describe : (describe.skip as jest.Describe);
const P = 'walkproj';
const TABLE = 'AWS::DynamoDB::Table';

describeBrowser('the walk-through in the console (docs/walkthrough.md)', () => {
  const { client, doc } = testClients();
  let server: TestServer;
  let dist: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let table: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does it on CI)`);
    dist = mkdtempSync(path.join(tmpdir(), 'karbor-walk-console-'));
    const built = spawnSync(process.execPath, [path.join(REPO_ROOT, 'console', 'build.js'), dist], { encoding: 'utf8', timeout: 120_000 });
    if (built.status !== 0) throw new Error(`console build failed: ${built.stderr}${built.stdout}`);
    // Step 0: the walk-through's lowered limits, for this server only; a table with five items.
    server = await startTestServer({
      consoleDir: dist,
      settings: { KARBOR_MIN_INTERVAL_SECONDS: '60', KARBOR_MIN_WINDOW_SECONDS: '60', KARBOR_MAX_WINDOW_SECONDS: '120' },
    });
    table = `orders-${randomUUID().slice(0, 8)}`;
    await ensureTable(testEndpoint(), table);
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table]: [1, 2, 3, 4, 5].map((i) => ({ PutRequest: { Item: { PK: { S: `order-${i}` }, SK: { S: 'ORDER' }, total: { N: String(i * 10) } } } })),
        },
      }),
    );
    profile = mkdtempSync(path.join(tmpdir(), 'karbor-walk-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    await server?.stop();
    client.destroy();
    for (const dir of [dist, profile]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = async (name: string) => {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: name !== 'console' });
  };
  const items = async (name: string) => ((await doc.send(new ScanCommand({ TableName: name }))).Items ?? []).length;

  it('protects a table on a schedule, loses it, restores it, and deletes a checkpoint, with no page error', async () => {
    // 1. Sign in.
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Project').fill(P);
    await page.getByLabel('Token').fill(`alice:${P}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await openView(page, 'plans');
    await page.getByText('No plans yet').waitFor();

    // 2. Discover the table.
    const newPlan = page.locator('section#new-plan');
    await newPlan.getByLabel('Provider').selectOption({ label: 'AWS Provider' });
    await newPlan.getByLabel('Resource type').selectOption(TABLE);
    await newPlan.getByRole('button', { name: 'Discover' }).click();
    await newPlan.getByText(new RegExp(`^${TABLE} instances \\(\\d+\\)$`)).waitFor();
    const tick = newPlan.getByRole('checkbox', { name: new RegExp(`^${table} `) });
    expect(await tick.count()).toBe(1);

    // 3. Create a plan.
    await newPlan.getByLabel('Plan name').fill('orders-plan');
    await tick.check();
    await newPlan.getByRole('button', { name: 'Create plan' }).click();
    await page.getByRole('status').filter({ hasText: 'Plan orders-plan created.' }).waitFor();
    const planRow = page.locator('section#plans tr').filter({ has: page.getByRole('button', { name: 'orders-plan', exact: true }) });
    await planRow.getByText('not scheduled').waitFor();

    // 4. Attach a one-minute schedule that keeps three checkpoints.
    const planButton = page.getByRole('button', { name: 'orders-plan', exact: true });
    /** Back to the plan's details from another view. */
    const toPlan = async () => {
      await openView(page, 'plans');
      await planButton.click();
      await page.locator('#plan-detail').waitFor();
    };
    await planButton.click();
    const attach = page.locator('form[aria-labelledby="attach-title"]');
    await attach.getByLabel('Name').fill('keep-three');
    await attach.getByLabel('Format').selectOption('crontab');
    await attach.getByLabel('Pattern').fill('* * * * *');
    await attach.getByLabel('Operation').selectOption({ label: 'protect, then apply retention' });
    await attach.getByLabel('Keep at most (checkpoints)').fill('3');
    await attach.getByRole('button', { name: 'Attach schedule' }).click();
    await page.getByRole('status').filter({ hasText: 'Schedule attached to orders-plan.' }).waitFor();
    await openView(page, 'schedules');
    await page.locator('section#schedules').getByText('keep-three', { exact: false }).first().waitFor();
    await toPlan();

    // 5. See scheduled runs: the local scheduler's next three minutes, injected one after another.
    const minute = Math.ceil(Date.now() / 60_000) * 60_000;
    for (let i = 0; i < 3; i += 1) {
      await server.runtime.scheduler!.fireMinute(new Date(minute + i * 60_000));
      await waitFor(
        () => server.call('GET', `/v1/${P}/providers/5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35/checkpoints`),
        (r) => r.body.checkpoints.filter((c: { status: string }) => c.status === 'available').length === i + 1,
        { tries: 200, intervalMs: 100 },
      );
    }
    await planRow.getByText('available', { exact: true }).waitFor({ timeout: 30_000 });
    const checkpointRow = page.locator('#plan-detail tr[data-checkpoint]').first();
    await checkpointRow.getByText('available', { exact: true }).first().waitFor({ timeout: 30_000 });
    const checkpointId = (await checkpointRow.getAttribute('data-checkpoint'))!;
    await shot('5-scheduled-runs');
    await openView(page, 'log');
    const log = page.locator('section#log');
    await log.locator('tr', { hasText: 'retention_protect' }).filter({ hasText: 'success' }).first().waitFor({ timeout: 30_000 });
    await toPlan();

    // 6. Stop the schedule (the console has no button: the API) and lose the data.
    const ops = await server.call('GET', `/v1/${P}/scheduled_operations`);
    for (const op of ops.body.operations) expect((await server.call('DELETE', `/v1/${P}/scheduled_operations/${op.id}`)).status).toBe(200);
    for (let i = 1; i <= 5; i += 1) await client.send(new DeleteItemCommand({ TableName: table, Key: { PK: { S: `order-${i}` }, SK: { S: 'ORDER' } } }));
    expect(await items(table)).toBe(0);

    // 7. Restore the newest checkpoint, as the dialog offers it (the default name).
    await checkpointRow.getByRole('button', { name: /^Restore checkpoint/ }).click();
    const restoreDialog = page.getByRole('dialog', { name: 'Restore this checkpoint?' });
    await restoreDialog.getByRole('button', { name: 'Restore' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Restore of checkpoint ${checkpointId.slice(0, 8)} started.` })
      .waitFor();
    await openView(page, 'restores');
    const restoreRow = page.locator('#restores tr[data-restore]').first();
    await restoreRow.getByText('success', { exact: true }).waitFor({ timeout: 30_000 });
    const madeName = (await restoreRow.locator('td.restored-as code').textContent())!;
    expect(madeName).toMatch(new RegExp(`^karbor-restore-${table}-[0-9a-f]{8}$`));
    expect(await items(madeName)).toBe(5);
    await shot('7-restored');
    await toPlan();

    // 8. Delete a checkpoint: deleting, then it leaves the list.
    await checkpointRow.getByRole('button', { name: /^Delete checkpoint/ }).click();
    await page.getByRole('dialog', { name: 'Delete this checkpoint?' }).getByRole('button', { name: 'Delete checkpoint' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Checkpoint ${checkpointId.slice(0, 8)} is being deleted.` })
      .waitFor();
    await page.locator(`#plan-detail tr[data-checkpoint="${checkpointId}"]`).waitFor({ state: 'detached', timeout: 30_000 });
    const gone = await waitFor(
      () => server.call('GET', `/v1/${P}/providers/5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint?.status === 'deleted',
    );
    expect(gone.body.checkpoint.status).toBe('deleted');
    // The timeline counts what the table lists: two available, the one deleted (no schedule left).
    expect(await page.locator('#plan-detail svg[role="img"]').getAttribute('aria-label')).toBe('Timeline of plan orders-plan: 2 available, 1 deleted.');
    // The README's picture: the plan's details with a deleted checkpoint under two available ones.
    await page.locator('#plan-detail').scrollIntoViewIfNeeded();
    await shot('console');
    if (TO_DOCS) copyFileSync(path.join(SHOTS, 'console.png'), path.join(REPO_ROOT, 'docs', 'console.png'));

    // Every view still there, none failed, and the page threw nothing.
    const shown: string[] = [];
    for (const [id] of VIEWS) {
      await openView(page, id);
      if ((await page.locator(`section#${id}`).count()) === 1 && (await page.getByText('This view failed to show').count()) === 0) shown.push(id);
    }
    expect(shown).toEqual(VIEWS.map(([id]) => id));
    expect(errors).toEqual([]);
  }, 150_000);
});
