import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT, startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';
import { createSourceTable } from '../support/dynamo';
import { allowOneMinuteTriggers } from '../support/triggers';
import { openView, VIEWS } from '../support/console-views';

/** Debian's chromium (`apt-get install chromium`); .ci/run installs it when missing. */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(REPO_ROOT, 'test-output', 'console');
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const AWS = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const TABLE = 'AWS::DynamoDB::Table';
const P = 'consoleproj';

allowOneMinuteTriggers();

/** Like describeCli: runs where chromium is installed and always on CI, where a missing browser must fail, not skip. */
const describeBrowser: jest.Describe = existsSync(CHROMIUM) || process.env.CI ? describe : (describe.skip as jest.Describe);

/** Builds the console into its own folder, so it never races `npm start` rebuilding console/dist. */
const buildConsole = (): string => {
  const out = mkdtempSync(path.join(tmpdir(), 'karbor-console-'));
  const built = spawnSync(process.execPath, [path.join(REPO_ROOT, 'console', 'build.js'), out], { encoding: 'utf8', timeout: 120_000 });
  if (built.status !== 0) throw new Error(`console build failed: ${built.stderr}${built.stdout}`);
  return out;
};

/** A GET with the path sent byte for byte (fetch would normalise `..`). */
const rawGet = (url: string, rawPath: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

let server: TestServer;
let dir: string;
beforeAll(async () => {
  dir = buildConsole();
  server = await startTestServer({ consoleDir: dir });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the console files on the local server', () => {
  it('serves the page and its assets with their content types, and /console redirects to /console/', async () => {
    const page = await fetch(`${server.url}/console/`);
    const html = await page.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    const asset = await fetch(`${server.url}/console/${script}`);
    const bare = await fetch(`${server.url}/console`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it.each(['/console/../package.json', '/console/%2e%2e/package.json', '/console/..%2fpackage.json', '/console/%5c..%5cpackage.json', '/console/assets/'])(
    'answers 404 to %s, never a file outside the build',
    async (rawPath) => {
      const res = await rawGet(server.url, rawPath);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('karbor-serverless');
    },
  );

  it('leaves /v1 to the API and refuses to write', async () => {
    const api = await server.call('GET', `/v1/${P}/plans`);
    const post = await fetch(`${server.url}/console/index.html`, { method: 'POST' });
    expect(api.status).toBe(200);
    expect(post.status).toBe(405);
  });
});

describeBrowser('the console in a browser (chromium)', () => {
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const planName = 'console plan';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does it on CI)`);
    profile = mkdtempSync(path.join(tmpdir(), 'karbor-chromium-'));
    mkdirSync(SHOTS, { recursive: true });
    // A persistent context is how Playwright takes a fresh --user-data-dir.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs in, shows a plan made over HTTP, takes a checkpoint to available and restores it', async () => {
    // Prepare: a plan made through the API, as another client would.
    const created = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: planName, provider_id: NOOP, parameters: {}, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }] } },
    });
    expect(created.status).toBe(200);
    const planId = created.body.plan.id as string;

    // Act: sign in with the keyboard.
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Project').fill(P);
    await page.getByLabel('Token').fill(`alice:${P}`);
    await page.screenshot({ path: path.join(SHOTS, '1-sign-in.png') });
    await page.getByLabel('Token').press('Enter');
    await page.locator('section#overview').waitFor();
    await openView(page, 'plans');
    const planButton = page.getByRole('button', { name: planName, exact: true });
    await planButton.waitFor();

    // Act: start a checkpoint and watch it in the plan's details.
    await page.getByRole('button', { name: `Start checkpoint of ${planName}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Checkpoint of ${planName} started.` })
      .waitFor();
    await planButton.click();
    const row = page.locator('#plan-detail tr[data-checkpoint]').first();
    await row.getByText('available', { exact: true }).first().waitFor({ timeout: 30_000 });
    const checkpointId = await row.getAttribute('data-checkpoint');
    await page.screenshot({ path: path.join(SHOTS, '2-checkpoint-available.png'), fullPage: true });

    // Act: restore it, through the confirmation.
    await row.getByRole('button', { name: /^Restore checkpoint/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this checkpoint?' });
    await dialog.waitFor();
    await page.screenshot({ path: path.join(SHOTS, '3-confirm-restore.png') });
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Restore of checkpoint/ })
      .waitFor();
    await openView(page, 'restores');
    const restoreRow = page.locator('#restores tr[data-restore]').first();
    await restoreRow.getByText('success', { exact: true }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, '4-restored.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, '5-phone.png'), fullPage: true });

    // Assess: what the page showed is what the API holds.
    const checkpoint = await server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints/${checkpointId}`);
    expect(checkpoint.body.checkpoint).toMatchObject({ status: 'available', protection_plan: { id: planId } });
    const restores = await waitFor(
      () => server.call('GET', `/v1/${P}/restores`),
      (r) => r.body.restores.length > 0,
    );
    expect(restores.body.restores).toEqual([expect.objectContaining({ checkpoint_id: checkpointId, status: 'success' })]);
    expect(await page.getByRole('alert').filter({ hasText: /\S/ }).count()).toBe(0);
  }, 60_000);

  /** A scheduled operation of `type` on the plan, on a one-minute trigger of its own, over HTTP. */
  const everyMinute = async (name: string, type: 'protect' | 'verify', planId: string) => {
    const trigger = await server.call('POST', `/v1/${P}/triggers`, {
      body: { trigger_info: { name: `${name} minute`, type: 'time', properties: { format: 'crontab', pattern: '* * * * *', window: 50 } } },
    });
    return server.call('POST', `/v1/${P}/scheduled_operations`, {
      body: {
        scheduled_operation: {
          name,
          operation_type: type,
          trigger_id: trigger.body.trigger_info.id,
          operation_definition: { provider_id: NOOP, plan_id: planId },
        },
      },
    });
  };
  /** Presses a button with the keyboard: focused, then Enter. */
  const press = async (button: ReturnType<Page['getByRole']>) => {
    await button.focus();
    await button.press('Enter');
  };
  /** Answers the open confirmation with the keyboard: Cancel has the focus, Tab moves to the confirm button. */
  const confirmWithKeyboard = async (title: string) => {
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  };
  const seriousOnPage = async () =>
    (await new AxeBuilder({ page }).analyze()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  const vaultPlan = 'vault plan';
  let vault: { planId: string; source: string };

  it('copies a checkpoint, locks it in compliance mode and verifies it, all from the keyboard, and shows copies, locks and verifications', async () => {
    // Prepare: a plan of its own with one available checkpoint, over HTTP.
    const created = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: vaultPlan, provider_id: NOOP, parameters: {}, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }] } },
    });
    const planId = created.body.plan.id as string;
    const made = await server.call('POST', `/v1/${P}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: planId } } });
    const source = made.body.checkpoint.id as string;
    vault = { planId, source };
    await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints/${source}`),
      (r) => r.body.checkpoint.status === 'available',
      { tries: 200, intervalMs: 100 },
    );
    const errors: string[] = [];
    const onError = (e: Error) => errors.push(e.message);
    page.on('pageerror', onError);
    try {
      await page.reload();
      await openView(page, 'plans');
      await press(page.getByRole('button', { name: vaultPlan, exact: true }));
      const row = page.locator(`#plan-detail tr[data-checkpoint="${source}"]`);
      await row.waitFor();

      // Act: copy it (Karbor's copy route), from the keyboard.
      await press(row.getByRole('button', { name: `Copy checkpoint ${source.slice(0, 8)}` }));
      await confirmWithKeyboard('Copy the checkpoints of this plan?');
      await page
        .getByRole('status')
        .filter({ hasText: `Copy of the checkpoints of ${vaultPlan} started.` })
        .waitFor();
      const copies = await waitFor(
        () => server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints?plan_id=${planId}`),
        (r) => r.body.checkpoints.some((c: { id: string; status: string }) => c.id !== source && c.status === 'available'),
        { tries: 200, intervalMs: 100 },
      );
      const copy = copies.body.checkpoints.find((c: { id: string }) => c.id !== source);

      // Act: lock the source in compliance mode until tomorrow, from the keyboard (the mode chosen with an arrow key).
      await press(row.getByRole('button', { name: `Lock checkpoint ${source.slice(0, 8)}` }));
      const lockDialog = page.getByRole('dialog', { name: 'Lock this checkpoint?' });
      await lockDialog.waitFor();
      const lockSaid = await lockDialog.textContent();
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      await lockDialog.getByLabel('Mode').focus();
      await page.keyboard.press('ArrowDown');
      await lockDialog.getByLabel(/^Locked until/).fill(tomorrow);
      await lockDialog.getByRole('button', { name: 'Lock', exact: true }).focus();
      await page.keyboard.press('Enter');
      const sure = page.getByRole('dialog', { name: 'Lock in compliance mode? This cannot be undone.' });
      await sure.waitFor();
      const sureSaid = await sure.textContent();
      await confirmWithKeyboard('Lock in compliance mode? This cannot be undone.');
      await page
        .getByRole('status')
        .filter({ hasText: `Checkpoint ${source.slice(0, 8)} locked (compliance)` })
        .waitFor();
      await row.getByText(/^compliance lock until \d{4}-\d\d-\d\d/).waitFor();

      // Act: a legal hold on the copy, and a verification of the source, from the keyboard.
      const copyRow = page.locator(`#plan-detail tr[data-checkpoint="${copy.id}"]`);
      await press(copyRow.getByRole('button', { name: `Place a legal hold on checkpoint ${copy.id.slice(0, 8)}` }));
      await confirmWithKeyboard('Place a legal hold?');
      await copyRow.getByText('legal hold', { exact: true }).waitFor();
      await press(row.getByRole('button', { name: `Verify checkpoint ${source.slice(0, 8)}` }));
      await page
        .getByRole('status')
        .filter({ hasText: `Verification of checkpoint ${source.slice(0, 8)} started.` })
        .waitFor();
      const planDetailSerious = await seriousOnPage();
      const deleteDisabled = await row.getByRole('button', { name: `Delete checkpoint ${source.slice(0, 8)}` }).isDisabled();
      const liftDisabled = await row.getByRole('button', { name: `Lift the lock of checkpoint ${source.slice(0, 8)}` }).isDisabled();
      const releaseDisabled = await copyRow.getByRole('button', { name: `Release the hold of checkpoint ${copy.id.slice(0, 8)}` }).isDisabled();
      const rowText = await row.textContent();
      const copyRowText = await copyRow.textContent();

      // Act: the Copies and Verifications views.
      await openView(page, 'copies');
      const copyListed = page.locator(`#copies tr[data-copy="${copy.id}"]`);
      await copyListed.getByText('available', { exact: true }).waitFor();
      const copiesText = await copyListed.textContent();
      const copiesSerious = await seriousOnPage();
      await openView(page, 'verifications');
      const verified = page.locator('#verifications tr[data-verification]').filter({ hasText: source.slice(0, 8) });
      await verified.getByText('success', { exact: true }).first().waitFor({ timeout: 30_000 });
      const verifiedText = await verified.textContent();
      const verificationsSerious = await seriousOnPage();

      // Assess: the API holds what the page did; the page shows it, with the delete refused and why.
      const locked = await server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints/${source}`);
      const held = await server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints/${copy.id}`);
      expect(locked.body.checkpoint.lock).toEqual({ mode: 'compliance', until: `${tomorrow}T00:00:00.000Z` });
      expect(held.body.checkpoint.legal_hold).toBe(true);
      expect(JSON.parse(copy.extra_info)).toMatchObject({ source_checkpoint_id: source, copy_status: 'finished' });
      expect(lockSaid).toContain('cannot be deleted until the lock ends');
      expect(sureSaid).toContain('Nobody, not even an admin, can shorten or lift a compliance lock');
      expect({ deleteDisabled, liftDisabled, releaseDisabled }).toEqual({ deleteDisabled: true, liftDisabled: true, releaseDisabled: true });
      expect(rowText).toContain(`Delete: Locked (compliance) until ${tomorrow} 00:00 UTC.`);
      expect(rowText).toContain('A compliance lock cannot be lifted.');
      expect(copyRowText).toContain('Only an admin may release a hold.');
      expect(copiesText).toContain(source.slice(0, 8));
      expect(copiesText).toContain('(the provider itself)');
      expect(copiesText).toContain('copy_status finished');
      expect(copiesText).toContain('legal hold');
      expect(verifiedText).toContain(vaultPlan);
      expect(verifiedText).toMatch(/OS::Keystone::Project#\S+ success/);
      expect({ planDetailSerious, copiesSerious, verificationsSerious }).toEqual({ planDetailSerious: [], copiesSerious: [], verificationsSerious: [] });
      expect(errors).toEqual([]);
    } finally {
      page.off('pageerror', onError);
    }
  }, 90_000);

  it('lists a drill with its next run, and after it ran, the result of the verification it started', async () => {
    // Prepare: a verify scheduled operation (a drill) on the vault plan, its minute fired on the local scheduler.
    const op = await everyMinute('vault drill', 'verify', vault.planId);
    expect(op.status).toBe(200);
    const opId = op.body.scheduled_operation.id as string;
    await page.reload();
    await openView(page, 'verifications');
    const drill = page.locator(`#drills tr[data-drill="${opId}"]`);
    await drill.getByText('not run yet').waitFor();
    const before = await drill.textContent();
    await server.runtime.scheduler!.fireMinute(new Date(Math.ceil(Date.now() / 60000) * 60000));
    const ran = await waitFor(
      () => server.call('GET', `/v1/${P}/scheduled_operations/${opId}`),
      (r) => r.body.scheduled_operation.last_run?.status === 'success',
      { tries: 200, intervalMs: 100 },
    );
    const log = await server.call('GET', `/v1/${P}/operation_logs/${ran.body.scheduled_operation.last_run.operation_log_id}`);
    const verificationId = JSON.parse(log.body.operation_log.extra_info).verification_id as string;
    await waitFor(
      () => server.call('GET', `/v1/${P}/verifications/${verificationId}`),
      (r) => r.body.verification.status === 'success',
      { tries: 200, intervalMs: 100 },
    );
    // Act
    await page.reload();
    await openView(page, 'verifications');
    await drill.getByText(`verification ${verificationId.slice(0, 8)}`).waitFor();
    const after = await drill.textContent();
    // Assess
    expect(before).toContain(vaultPlan);
    expect(before).toMatch(/basic\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(after).toContain(`verification ${verificationId.slice(0, 8)} success`);
    await server.call('DELETE', `/v1/${P}/scheduled_operations/${opId}`);
  }, 60_000);

  it('gives an admin an all-projects switch that lists other projects rows with their project, and a member none', async () => {
    // Prepare: an admin of another project, in a tab of its own.
    const A = 'adminproj';
    const tab = await context.newPage();
    try {
      await tab.goto(`${server.url}/console/`);
      await tab.evaluate((a) => sessionStorage.setItem('karbor-console-session', JSON.stringify({ apiUrl: '', project: a, token: `admin:${a}` })), A);
      await tab.reload();
      await openView(tab, 'copies');
      const toggle = tab.getByRole('checkbox', { name: 'All projects' });
      await toggle.waitFor();
      const ownCopies = await tab.locator('#copies tr[data-copy]').count();
      const destinations = await tab.locator('#destinations').count();
      // Act: the switch, from the keyboard.
      await toggle.focus();
      await tab.keyboard.press('Space');
      const row = tab.locator('#copies tr[data-copy]').first();
      await row.waitFor();
      const copyText = await row.textContent();
      await openView(tab, 'verifications');
      const verification = tab.locator('#verifications tr[data-verification]').first();
      await verification.waitFor();
      const verificationText = await verification.textContent();
      await openView(tab, 'plans');
      await tab.getByRole('button', { name: vaultPlan, exact: true }).waitFor();
      const planRow = await tab.locator('#plans tr', { has: tab.getByRole('button', { name: vaultPlan, exact: true }) }).textContent();
      // Assess: its own project has no copies; every project shows the console project rows, each naming it.
      expect(ownCopies).toBe(0);
      expect(destinations).toBe(1);
      expect(copyText).toContain(`project ${P}`);
      expect(verificationText).toContain(`project ${P}`);
      expect(planRow).toContain(`project ${P}`);
    } finally {
      await tab.close();
    }
    // A member has no switch.
    expect(await page.getByRole('checkbox', { name: 'All projects' }).count()).toBe(0);
  }, 60_000);

  it('has no serious or critical accessibility violation (axe) on any view, the plan details or the restore dialog, and breaks no content policy', async () => {
    // Prepare: the browser reports what a content security policy refuses on the console.
    const refused: string[] = [];
    const onConsole = (m: { text(): string }) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    };
    page.on('console', onConsole);
    const served = await fetch(`${server.url}/console/`);
    await page.reload();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    const serious = async () =>
      (await new AxeBuilder({ page }).analyze()).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    // Act: every view, then the plans with a plan's details open, and with the restore dialog open.
    const views: Record<string, string[]> = {};
    for (const [id] of VIEWS) {
      await openView(page, id);
      views[id] = await serious();
    }
    await openView(page, 'plans');
    const detail = page.locator('#plan-detail');
    if ((await detail.count()) === 0) await page.getByRole('button', { name: planName, exact: true }).click();
    await detail.waitFor();
    const withDetail = await serious();
    await page
      .locator('#plan-detail tr[data-checkpoint]')
      .first()
      .getByRole('button', { name: /^Restore checkpoint/ })
      .click();
    await page.getByRole('dialog', { name: 'Restore this checkpoint?' }).waitFor();
    const withDialog = await serious();
    await page.keyboard.press('Escape');
    page.off('console', onConsole);
    // Assess
    expect(served.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
    expect(served.headers.get('x-frame-options')).toBe('DENY');
    expect({ views, withDetail, withDialog }).toEqual({ views: Object.fromEntries(VIEWS.map(([id]) => [id, []])), withDetail: [], withDialog: [] });
    expect(refused).toEqual([]);
  }, 120_000);

  it('fits 1024 and 1440 px without sideways scrolling on every view, in light and dark, with no serious accessibility finding in either', async () => {
    // Act
    const seen: { view: string; width: number; scheme: string; overflow: number; serious: string[] }[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1024, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        for (const [view] of VIEWS) {
          await openView(page, view);
          const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
          const { violations } = await new AxeBuilder({ page }).analyze();
          seen.push({
            view,
            width,
            scheme,
            overflow,
            serious: violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`).join('; ')}`),
          });
        }
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await openView(page, 'plans');
    // Assess
    expect(seen.filter((v) => v.overflow > 0 || v.serious.length > 0)).toEqual([]);
  }, 420_000);

  it('asks before deleting a checkpoint and keeps it when cancelled', async () => {
    // Prepare
    await page.setViewportSize({ width: 1280, height: 900 });
    if ((await page.locator('#plan-detail').count()) === 0) await page.getByRole('button', { name: planName, exact: true }).click();
    const row = page.locator('#plan-detail tr[data-checkpoint]').first();
    const id = await row.getAttribute('data-checkpoint');
    // Act
    await row.getByRole('button', { name: /^Delete checkpoint/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this checkpoint?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Assess
    const shown = await server.call('GET', `/v1/${P}/providers/${NOOP}/checkpoints/${id}`);
    expect(shown.body.checkpoint.status).toBe('available');
  }, 30_000);

  it('lists what no plan covers and makes a report whose files download', async () => {
    // Prepare: a project of its own (P has a plan of the whole project, which covers everything), in a tab of its own
    // signed in as the App keeps a session.
    const Q = 'coverageproj';
    await createSourceTable('console-uncovered');
    const first = await server.call('GET', `/v1/${Q}/protectables/${TABLE}/unprotected?limit=50`);
    expect(first.body.instances.length).toBeGreaterThan(0);
    const tab = await context.newPage();
    try {
      await tab.goto(`${server.url}/console/`);
      await tab.evaluate((q) => sessionStorage.setItem('karbor-console-session', JSON.stringify({ apiUrl: '', project: q, token: `admin:${q}` })), Q);
      await tab.reload();
      // Act
      await openView(tab, 'coverage');
      const listed = tab.locator('#unprotected tbody tr');
      await listed.first().waitFor();
      await tab.getByRole('button', { name: 'Make a report' }).click();
      const link = tab.locator('#reports a', { hasText: 'jobs.csv' });
      await link.waitFor();
      const href = await link.getAttribute('href');
      const csv = await tab.evaluate(async (url) => (await fetch(url!)).text(), href);
      // Assess: the page shows the API first page of unprotected tables (other tests add and drop tables meanwhile:
      // some, not all); the report file is the jobs CSV, its header first.
      const names = await listed.locator('th').allTextContents();
      expect(names.some((n) => first.body.instances.some((i: { name: string }) => i.name === n))).toBe(true);
      expect(csv.split('\r\n')[0]).toMatch(/^[a-z_]+(,[a-z_]+)+$/);
      expect(await tab.locator('#reports').textContent()).toMatch(/\d+ jobs and 0 plans/);
    } finally {
      await tab.close();
    }
  }, 60_000);

  it('restores a table as a new one named in the dialog, says so before, and lists what it made', async () => {
    // Prepare: a DynamoDB table protected on the AWS provider (DynamoDB Local: the export plugin), over HTTP.
    const table = await createSourceTable('console-orders');
    const name = `copy-${randomUUID().slice(0, 8)}`;
    const planned = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'tables', provider_id: AWS, parameters: {}, resources: [{ id: table, type: TABLE, name: table }] } },
    });
    const made = await server.call('POST', `/v1/${P}/providers/${AWS}/checkpoints`, { body: { checkpoint: { plan_id: planned.body.plan.id } } });
    const checkpointId = made.body.checkpoint.id as string;
    await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${AWS}/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint.status === 'available',
      { tries: 200, intervalMs: 100 },
    );
    await page.reload();
    await openView(page, 'plans');
    await page.getByRole('button', { name: 'tables', exact: true }).click();
    const row = page.locator(`#plan-detail tr[data-checkpoint="${checkpointId}"]`);
    // Act: the dialog says it makes something new and shows each resource's default name; one is typed.
    await row.getByRole('button', { name: /^Restore checkpoint/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this checkpoint?' });
    await dialog.waitFor();
    const said = await dialog.textContent();
    await dialog.getByLabel(`${table} (${TABLE}) restored as`).fill(name);
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Restore of checkpoint/ })
      .waitFor();
    await openView(page, 'restores');
    const restoreRow = page.locator('#restores tr[data-restore]').filter({ hasText: checkpointId.slice(0, 8) });
    await restoreRow.getByText(`karbor-restore-${name}`).waitFor({ timeout: 30_000 });
    // Assess: what the dialog promised, and what the API and the page say it made.
    expect(said).toContain('makes new resources from it: nothing that exists is overwritten');
    expect(said).toContain(`karbor-restore-${table}-<restore id>`);
    const restores = await server.call('GET', `/v1/${P}/restores`);
    const restore = restores.body.restores.find((r: { checkpoint_id: string }) => r.checkpoint_id === checkpointId);
    expect(restore).toMatchObject({ status: 'success', restore_target: null, restored_as: { [`${TABLE}#${table}`]: `karbor-restore-${name}` } });
    expect(restore.parameters).toEqual({ [`${TABLE}#${table}`]: { restore_name: name } });
  }, 60_000);

  it('still shows every view after a scheduled run (last_run is an object), with no page error, the overview counting it', async () => {
    // Prepare: a one-minute schedule on the plan, fired on the local scheduler's injected minute.
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const plans = await server.call('GET', `/v1/${P}/plans`);
    const planId = plans.body.plans.find((p: { name: string }) => p.name === planName).id as string;
    const op = await everyMinute('console schedule', 'protect', planId);
    expect(op.status).toBe(200);
    await server.runtime.scheduler!.fireMinute(new Date(Math.ceil(Date.now() / 60000) * 60000));
    const shown = await waitFor(
      () => server.call('GET', `/v1/${P}/scheduled_operations/${op.body.scheduled_operation.id}`),
      (r) => r.body.scheduled_operation.last_run?.status === 'success',
    );
    expect(shown.body.scheduled_operation.last_run).toEqual(expect.objectContaining({ time: expect.any(String), status: 'success' }));

    // Act
    await page.reload();
    await openView(page, 'schedules');
    await page
      .locator('#schedules')
      .getByText(/^last run \d{4}-\d\d-\d\d \d\d:\d\d UTC/)
      .waitFor();
    const shownViews: string[] = [];
    const failed: string[] = [];
    for (const [id] of VIEWS) {
      await openView(page, id);
      if ((await page.locator(`section#${id}`).count()) === 1) shownViews.push(id);
      if ((await page.getByText('This view failed to show').count()) > 0) failed.push(id);
      if (id === 'plans') expect(await page.locator('section#new-plan').count()).toBe(1);
    }
    await openView(page, 'overview');
    const bars = await page.locator('#overview svg[role="img"] g.bar').count();
    const today = await page.locator(`#overview g.bar[data-date="${new Date().toISOString().slice(0, 10)}"] title`).textContent();

    // Assess: every view is there, none failed, the page threw nothing; the chart has 30 days, today with jobs that succeeded.
    expect(shownViews).toEqual(VIEWS.map(([id]) => id));
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    expect(bars).toBe(30);
    expect(today).toMatch(/^\d{4}-\d\d-\d\d: [1-9]\d* succeeded, \d+ failed \(protect [1-9]/);
  }, 60_000);

  /** Reloads the page while the API's answers to `pattern` are changed by `drift`, runs `assess`, and requires no page error. */
  const whileDrifted = async (pattern: string, drift: (body: any) => void, assess: () => Promise<void>) => {
    const errors: string[] = [];
    const onError = (e: Error) => errors.push(e.message);
    page.on('pageerror', onError);
    await page.route(pattern, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      drift(body);
      await route.fulfill({ response: res, json: body });
    });
    try {
      await page.reload();
      await assess();
      expect(errors).toEqual([]);
    } finally {
      await page.unroute(pattern);
      page.off('pageerror', onError);
    }
  };
  const failedViews = async () => {
    await page.getByRole('alert').filter({ hasText: 'This view failed to show' }).first().waitFor();
    return page.locator('section.view-failed').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  };

  it('keeps the other views working when one view cannot render what the API sent', async () => {
    // Prepare, Act: an answer of a shape the Schedules view cannot render (a drifted field).
    await whileDrifted(
      '**/scheduled_operations',
      (body) => {
        for (const o of body.operations) o.last_run = { time: 5, status: 'success' };
      },
      async () => {
        // Assess: Schedules says it failed; the navigation, Plans and the operation log still work.
        await openView(page, 'schedules');
        expect(await failedViews()).toEqual(['Schedules']);
        expect(await page.locator('section#schedules').count()).toBe(0);
        await openView(page, 'plans');
        expect(await page.getByRole('button', { name: planName, exact: true }).isVisible()).toBe(true);
        await openView(page, 'log');
        expect(await page.locator('section#log').count()).toBe(1);
      },
    );
  }, 60_000);

  it('keeps a view working when data that other views derive from is malformed (the operation log feeds checkpoint times)', async () => {
    // Prepare, Act: every log's start time of a shape nothing can parse (the page blanked whole when a shared derivation threw).
    await whileDrifted(
      '**/operation_logs',
      (body) => {
        for (const l of body.operation_logs) l.started_at = 5;
      },
      async () => {
        // Assess: the views that read those times say so, each in its place; the others still render and work.
        const failed: string[] = [];
        for (const [id] of VIEWS) {
          await openView(page, id);
          if ((await page.locator('section.view-failed').count()) > 0) failed.push(...(await failedViews()));
        }
        expect(failed).toEqual(['Plans', 'Jobs', 'Restores', 'Operation log']);
        await openView(page, 'plans');
        expect(await page.locator('section#new-plan').count()).toBe(1);
        // The new-plan form asks the API for the protectable types as the view opens: Discover waits for them.
        const discover = page.getByRole('button', { name: 'Discover' });
        expect(
          await waitFor(
            () => discover.isEnabled(),
            (enabled) => enabled,
          ),
        ).toBe(true);
        await openView(page, 'schedules');
        expect(await page.locator('section#schedules').count()).toBe(1);
      },
    );
    // Once the API answers well again, every view is back.
    await page.reload();
    for (const [id] of VIEWS) {
      await openView(page, id);
      expect(await page.locator('section.view-failed').count()).toBe(0);
    }
  }, 60_000);

  it("signs in with username and password through Cognito's InitiateAuth when config.json names a user pool client", async () => {
    // Prepare: a fake Cognito (its ID token is the local noauth token), a config.json naming it, a plan made over HTTP.
    const calls: { headers: IncomingHttpHeaders; body: string }[] = [];
    const cognito = createServer((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', 'content-type, x-amz-target');
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      if (req.method === 'OPTIONS') return void res.end();
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        calls.push({ headers: req.headers, body });
        const asked = JSON.parse(body);
        const refresh = asked.AuthFlow === 'REFRESH_TOKEN_AUTH' && asked.AuthParameters?.REFRESH_TOKEN === 'refresh-1';
        const ok = refresh || asked.AuthParameters?.PASSWORD === 'Right-pass-1!';
        res.statusCode = ok ? 200 : 400;
        res.setHeader('Content-Type', 'application/x-amz-json-1.1');
        res.end(
          JSON.stringify(
            refresh
              ? { AuthenticationResult: { IdToken: `carol:${P}`, AccessToken: 'a', ExpiresIn: 3600, TokenType: 'Bearer' } }
              : ok
                ? { AuthenticationResult: { IdToken: `alice:${P}`, RefreshToken: 'refresh-1', AccessToken: 'a', ExpiresIn: 3600, TokenType: 'Bearer' } }
                : { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => cognito.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(cognito.address() as AddressInfo).port}/`;
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ authMode: 'cognito', cognitoRegion: 'eu-west-1', cognitoClientId: 'client-1', cognitoEndpoint: endpoint }),
    );
    const name = 'cognito plan';
    const created = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name, provider_id: NOOP, parameters: {}, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }] } },
    });
    expect(created.status).toBe(200);
    // A new tab: the session of the tests above lives in the other tab's sessionStorage.
    const tab = await context.newPage();
    try {
      // Act: a wrong password, then the right one.
      await tab.goto(`${server.url}/console/`);
      await tab.getByLabel('Username').fill('alice');
      expect(await tab.getByLabel('Token').count()).toBe(0);
      expect(await tab.getByRole('button', { name: 'Paste a token instead' }).isVisible()).toBe(true);
      await tab.getByLabel('Password').fill('wrong');
      await tab.getByLabel('Password').press('Enter');
      await tab.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
      await tab.getByLabel('Password').fill('Right-pass-1!');
      await tab.getByLabel('Password').press('Enter');
      await tab.locator('section#overview').waitFor();
      await openView(tab, 'plans');
      await tab.getByRole('button', { name, exact: true }).waitFor();

      // Assess: Cognito's InitiateAuth, as the AWS SDK would send it.
      expect(calls).toHaveLength(2);
      expect(calls[1].headers).toMatchObject({
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      });
      expect(JSON.parse(calls[1].body)).toEqual({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: 'client-1',
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'Right-pass-1!' },
      });

      // Act: an hour later the API refuses the ID token; the plan's details are open.
      await tab.getByRole('button', { name, exact: true }).click();
      await tab.locator('#plan-detail').waitFor();
      const tokens: string[] = [];
      await tab.route('**/v1/**', (route) => {
        const token = route.request().headers()['x-auth-token'];
        tokens.push(token);
        return token === `alice:${P}` ? route.fulfill({ status: 401, json: { error: { code: 401, message: 'expired' } } }) : route.fallback();
      });
      await waitFor(
        async () => tokens,
        (t) => t.includes(`carol:${P}`),
        { tries: 150, intervalMs: 100 },
      );
      // Assess: the refresh token got a new ID token, with no sign-in and the view as it was.
      expect(JSON.parse(calls[2].body)).toEqual({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'client-1', AuthParameters: { REFRESH_TOKEN: 'refresh-1' } });
      await tab.locator('#plan-detail').waitFor();
      expect(await tab.getByLabel('Password').count()).toBe(0);
      expect(await tab.getByRole('dialog', { name: 'Sign in again' }).count()).toBe(0);
    } finally {
      await tab.close();
      await new Promise<void>((resolve) => cognito.close(() => resolve()));
    }
  }, 60_000);

  it('asks for a new token over the view when the API refuses a pasted one, and goes on with it', async () => {
    // Prepare: a new tab signed in with a pasted token, a plan's details open; then the API refuses that token.
    const tokenPlan = 'token plan';
    await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: tokenPlan, provider_id: NOOP, parameters: {}, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }] } },
    });
    const tab = await context.newPage();
    try {
      writeFileSync(path.join(dir, 'config.json'), '{}');
      await tab.goto(`${server.url}/console/`);
      await tab.getByLabel('Project').fill(P);
      await tab.getByLabel('Token').fill(`dave:${P}`);
      await tab.getByLabel('Token').press('Enter');
      await openView(tab, 'plans');
      await tab.getByRole('button', { name: tokenPlan, exact: true }).click();
      await tab.locator('#plan-detail').waitFor();
      const tokens: string[] = [];
      await tab.route('**/v1/**', (route) => {
        const token = route.request().headers()['x-auth-token'];
        tokens.push(token);
        return token === `dave:${P}` ? route.fulfill({ status: 401, json: { error: { code: 401, message: 'expired' } } }) : route.fallback();
      });
      // Act: the next poll is refused; a new token is pasted into the dialog.
      const dialog = tab.getByRole('dialog', { name: 'Sign in again' });
      await dialog.waitFor({ timeout: 20_000 });
      const viewKept = await tab.locator('#plan-detail').isVisible();
      await dialog.getByLabel('New token').fill(`erin:${P}`);
      await dialog.getByRole('button', { name: 'Go on' }).click();
      await dialog.waitFor({ state: 'detached' });
      // Assess: the view stayed under the dialog, and the console goes on with the new token.
      expect(viewKept).toBe(true);
      await tab.locator('#plan-detail').waitFor();
      expect(tokens).toContain(`erin:${P}`);
      expect(await tab.getByLabel('Project').count()).toBe(0);
    } finally {
      await tab.close();
    }
  }, 60_000);

  // Last: the page clock it installs is the browser context's, every tab's.
  it('backs off while the API is down (10 s, 20 s, 40 s), says when it tries again, recovers on Try now, and never moves the view', async () => {
    // Prepare: a tab on the browser clock (paused: time moves only when the test says), a plan's details open,
    // every layout shift recorded, every load of the project counted (each asks for the providers once).
    const tab = await context.newPage();
    const loads: string[] = [];
    tab.on('request', (r) => {
      if (new URL(r.url()).pathname === `/v1/${P}/providers`) loads.push(r.url());
    });
    try {
      await tab.clock.install();
      await tab.goto(`${server.url}/console/`);
      await tab.evaluate((p) => sessionStorage.setItem('karbor-console-session', JSON.stringify({ apiUrl: '', project: p, token: `alice:${p}` })), P);
      await tab.reload();
      await openView(tab, 'plans');
      await press(tab.getByRole('button', { name: planName, exact: true }));
      await tab.locator('#plan-detail').waitFor();
      await tab.evaluate(
        'window.__shift = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; }).observe({ type: "layout-shift" });',
      );
      await tab.clock.pauseAt((await tab.evaluate(() => Date.now())) + 1000);
      const alert = tab.getByRole('alert').filter({ hasText: 'Could not load the project' });
      // Act: the API goes down; the next poll (within 10 s) fails.
      await tab.route('**/v1/**', (r) => r.fulfill({ status: 503, json: { computeFault: { code: 503, message: 'The service is unavailable' } } }));
      await tab.clock.runFor(10_000);
      await alert.waitFor();
      // Act: three more failures, each waited for to the second the page names.
      const waits: { said: number; earlyLoads: number; loads: number }[] = [];
      for (let i = 0; i < 3; i += 1) {
        const text = (await alert.textContent()) ?? '';
        const at = Date.parse(`${/Trying again at (\S+ \S+) UTC/.exec(text)?.[1].replace(' ', 'T')}Z`);
        const said = Math.ceil((at - (await tab.evaluate(() => Date.now()))) / 1000) * 1000;
        const before = loads.length;
        await tab.clock.runFor(said - 1000);
        const earlyLoads = loads.length - before;
        await tab.clock.runFor(1000);
        await waitFor(
          async () => (await alert.textContent()) !== text && loads.length > before,
          (changed) => changed,
          { tries: 100, intervalMs: 50 },
        );
        waits.push({ said, earlyLoads, loads: loads.length - before });
      }
      const viewKept = await tab.locator('#plan-detail').isVisible();
      // Act: the API is back; Try now, from the keyboard.
      await tab.unroute('**/v1/**');
      await press(tab.getByRole('button', { name: 'Try now' }));
      await alert.waitFor({ state: 'detached' });
      const shift = Number(await tab.evaluate('window.__shift'));
      // Assess: the waits doubled from 10 s, no load came early, the view stayed, and nothing moved.
      expect(waits).toEqual([
        { said: 10_000, earlyLoads: 0, loads: 1 },
        { said: 20_000, earlyLoads: 0, loads: 1 },
        { said: 40_000, earlyLoads: 0, loads: 1 },
      ]);
      expect(viewKept).toBe(true);
      expect(await tab.getByRole('button', { name: 'Try now' }).count()).toBe(0);
      expect(await tab.locator('#plan-detail').isVisible()).toBe(true);
      expect(shift).toBe(0);
    } finally {
      // The clock is the browser context's: time flows again for whatever runs after.
      await tab.clock.resume();
      await tab.close();
    }
  }, 60_000);
});
