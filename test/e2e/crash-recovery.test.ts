import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../infra/local/dynamo-local';
import { REPO_ROOT } from '../support/local-server';

/**
 * A crashed `npm start`: SIGKILL while a checkpoint is protecting, and while
 * a restore runs, then a start on the same data dir. The No-Op plugin is made
 * slow (KARBOR_NOOP_DELAY_MS) so that the jobs are surely running when killed.
 */
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'crash';
const DELAY_MS = 15000;

const start = (env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, [path.join(REPO_ROOT, 'infra/local/start.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const ready = (child: ChildProcess, timeoutMs = 90000): Promise<void> =>
  new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms: ${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Karbor API on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash recovery of npm start', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let base: string;
  let child: ChildProcess | undefined;
  const call = async (method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { 'X-Auth-Token': `admin:${P}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  /** Polls until `done` or `timeoutMs`; returns the last value. */
  const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last = await read();
    while (!done(last) && Date.now() < deadline) {
      await sleep(1000);
      last = await read();
    }
    return last;
  };
  const checkpoint = async (id: string) => (await call('GET', `/providers/${NOOP}/checkpoints/${id}`)).body.checkpoint;
  const logsOf = async (query: string) => (await call('GET', `/operation_logs?${query}`)).body.operation_logs as { operation_type: string; status: string }[];
  const restart = async () => {
    child?.kill('SIGKILL');
    if (child) await exited(child);
    child = start(env);
    await ready(child);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'karbor-crash-'));
    const [port, dynamoPort] = [await freePort(), await freePort()];
    env = { PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), KARBOR_DATA_DIR: dataDir, KARBOR_NOOP_DELAY_MS: String(DELAY_MS) };
    base = `http://127.0.0.1:${port}/v1/${P}`;
    child = start(env);
    await ready(child);
  }, 120000);
  afterAll(async () => {
    child?.kill('SIGTERM');
    if (child) await exited(child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes a checkpoint and a restore the killed process was running, within two minutes of the restart', async () => {
    // Prepare: a checkpoint protecting when the process is killed
    const plan = (
      await call('POST', '/plans', {
        plan: { name: 'slow', provider_id: NOOP, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }], parameters: {} },
      })
    ).body.plan;
    const created = (await call('POST', `/providers/${NOOP}/checkpoints`, { checkpoint: { plan_id: plan.id } })).body.checkpoint;
    await sleep(3000);
    const beforeKill = (await checkpoint(created.id)).status;
    // Act
    await restart();
    const restartedAt = Date.now();
    const after = await until(
      () => checkpoint(created.id),
      (c) => c.status !== 'protecting',
      120000,
    );
    const protectedWithin = Date.now() - restartedAt;
    const protectLogs = await logsOf(`checkpoint_id=${created.id}`);
    // The same for a restore
    const restore = (await call('POST', '/restores', { restore: { provider_id: NOOP, checkpoint_id: created.id, parameters: {} } })).body.restore;
    await sleep(3000);
    await restart();
    const restoreRestartedAt = Date.now();
    const restored = await until(
      async () => (await call('GET', `/restores/${restore.id}`)).body.restore,
      (r) => r.status !== 'in_progress',
      120000,
    );
    const restoredWithin = Date.now() - restoreRestartedAt;
    const restoreLogs = await logsOf(`restore_id=${restore.id}`);
    // Assess
    expect(beforeKill).toBe('protecting');
    expect(after.status).toBe('available');
    expect(protectedWithin).toBeLessThan(120000);
    expect(protectLogs).toEqual([expect.objectContaining({ operation_type: 'protect', status: 'available' })]);
    expect(restore.status).toBe('in_progress');
    expect(restored.status).toBe('success');
    expect(restoredWithin).toBeLessThan(120000);
    expect(restoreLogs).toEqual([expect.objectContaining({ operation_type: 'restore', status: 'success' })]);
  }, 400000);

  it('lets an admin reset a running checkpoint (the job is fenced out) and delete it from error', async () => {
    // Prepare
    const plan = (
      await call('POST', '/plans', {
        plan: { name: 'stuck', provider_id: NOOP, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }], parameters: {} },
      })
    ).body.plan;
    const created = (await call('POST', `/providers/${NOOP}/checkpoints`, { checkpoint: { plan_id: plan.id } })).body.checkpoint;
    await sleep(2000);
    const quota = async () => (await call('GET', `/quotas/${P}/detail`)).body.quota.checkpoints.in_use as number;
    const inUseBefore = await quota();
    // Act
    const reset = await call('PUT', `/providers/${NOOP}/checkpoints/${created.id}`, { 'os-resetState': { state: 'error' } });
    const statusAfterReset = (await checkpoint(created.id)).status;
    // The fenced job's plugin call ends meanwhile: it must not write `available` over the reset.
    await sleep(DELAY_MS + 2000);
    const statusAfterJob = (await checkpoint(created.id)).status;
    const logAfterReset = await logsOf(`checkpoint_id=${created.id}`);
    const deleted = await call('DELETE', `/providers/${NOOP}/checkpoints/${created.id}`);
    const gone = await until(
      () => checkpoint(created.id),
      (c) => c.status !== 'deleting',
      60000,
    );
    const inUseAfter = await quota();
    // Assess
    expect(reset.status).toBe(200);
    expect(statusAfterReset).toBe('error');
    expect(statusAfterJob).toBe('error');
    expect(logAfterReset).toEqual([expect.objectContaining({ operation_type: 'protect', status: 'error' })]);
    expect(deleted.status).toBe(200);
    expect(gone.status).toBe('deleted');
    expect(inUseAfter).toBe(inUseBefore - 1);
  }, 200000);
});
