import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from '../../infra/local/dynamo-local';
import { localDynamoClient } from '../../shared/dynamo/client';
import { REPO_ROOT } from '../support/local-server';

/** `npm start` is `node infra/local/start.js`: run exactly that, as a user would. */
const start = (env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, [path.join(REPO_ROOT, 'infra/local/start.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const waitForLine = (child: ChildProcess, pattern: RegExp, timeoutMs = 60000): Promise<string> =>
  new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; got: ${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}: ${out}`));
    });
  });

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

/** Whether a DynamoDB Local listening on `port` is still running. */
const javaRunning = (port: number): boolean => spawnSync('pgrep', ['-f', `DynamoDBLocal.jar.*-port ${port}`]).status === 0;

const eventually = async (check: () => boolean, timeoutMs = 10000): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
};

describe('npm start', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'karbor-data-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the API and the console, keeps data across a restart and leaves no java behind on SIGTERM', async () => {
    // Prepare
    const [port, dynamoPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), KARBOR_DATA_DIR: dataDir };
    const first = start(env);
    // The banner's last lines name the auth mode and, in noauth mode, a CLI call to try.
    const ready = await waitForLine(first, /auth mode:/);
    const dynamo = localDynamoClient(`http://127.0.0.1:${dynamoPort}`);
    // Act
    const res = await fetch(`http://127.0.0.1:${port}/v1/demo/providers`, { headers: { 'X-Auth-Token': 'admin:demo' } });
    const consolePage = await fetch(`http://127.0.0.1:${port}/console/`);
    await dynamo.send(new PutItemCommand({ TableName: 'karbor', Item: { PK: { S: 'TEST' }, SK: { S: 'kept' } } }));
    first.kill('SIGTERM');
    await exited(first);
    const javaGoneAfterStop = await eventually(() => !javaRunning(dynamoPort));
    const second = start(env);
    await waitForLine(second, /Karbor API on/);
    const kept = await dynamo.send(new GetItemCommand({ TableName: 'karbor', Key: { PK: { S: 'TEST' }, SK: { S: 'kept' } } }));
    second.kill('SIGINT');
    await exited(second);
    dynamo.destroy();
    // Assess
    expect(ready).toContain(`http://127.0.0.1:${port}`);
    expect(ready).toContain('karbor --os-auth-token');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { providers: unknown[] }).providers.length).toBeGreaterThan(0);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<title>Karbor console</title>');
    expect(javaGoneAfterStop).toBe(true);
    expect(kept.Item?.SK.S).toBe('kept');
    expect(await eventually(() => !javaRunning(dynamoPort))).toBe(true);
  }, 120000);

  it("stops the jobs, then DynamoDB Local, on a terminal's Ctrl-C during a job, with no connection error, and says it stopped", async () => {
    // Prepare: npm start in a process group of its own, as a terminal's foreground job; a checkpoint running.
    const [port, dynamoPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'infra/local/start.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), KARBOR_IN_MEMORY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitForLine(child, /Karbor API on/);
    const headers = { 'X-Auth-Token': 'admin:demo', 'Content-Type': 'application/json' };
    const plan = await fetch(`http://127.0.0.1:${port}/v1/demo/plans`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        plan: {
          name: 'ctrl-c',
          provider_id: 'b766f37c-d011-4026-8228-28730d734a3f',
          parameters: {},
          resources: [{ id: 'demo', type: 'OS::Keystone::Project', name: 'demo' }],
        },
      }),
    });
    const planId = ((await plan.json()) as { plan: { id: string } }).plan.id;
    const checkpoint = await fetch(`http://127.0.0.1:${port}/v1/demo/providers/b766f37c-d011-4026-8228-28730d734a3f/checkpoints`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ checkpoint: { plan_id: planId } }),
    });
    expect(checkpoint.status).toBe(200);
    // Act: Ctrl-C signals the whole foreground process group.
    process.kill(-child.pid!, 'SIGINT');
    const code = await exited(child);
    // Assess
    expect(code).toBe(0);
    expect(out).not.toMatch(/ECONNREFUSED/);
    expect(out).toContain('karbor: stopped');
    expect(await eventually(() => !javaRunning(dynamoPort))).toBe(true);
  }, 120000);

  it('prints each start-up stage as it happens, and names the jobs it resumed', async () => {
    // Prepare: a checkpoint left protecting by a runtime killed outright (No-Op takes a minute per resource here).
    const dir = mkdtempSync(path.join(tmpdir(), 'karbor-stages-'));
    const [port, dynamoPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), KARBOR_DATA_DIR: dir, KARBOR_NOOP_DELAY_MS: '60000' };
    const first = start(env);
    await waitForLine(first, /Karbor API on/);
    const headers = { 'X-Auth-Token': 'admin:demo', 'Content-Type': 'application/json' };
    const noop = 'b766f37c-d011-4026-8228-28730d734a3f';
    const resources = [{ id: 'demo', type: 'OS::Keystone::Project', name: 'demo' }];
    const plan = await fetch(`http://127.0.0.1:${port}/v1/demo/plans`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ plan: { name: 'stages', provider_id: noop, parameters: {}, resources } }),
    });
    const planId = ((await plan.json()) as { plan: { id: string } }).plan.id;
    const made = await fetch(`http://127.0.0.1:${port}/v1/demo/providers/${noop}/checkpoints`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ checkpoint: { plan_id: planId } }),
    });
    const checkpointId = ((await made.json()) as { checkpoint: { id: string } }).checkpoint.id;
    first.kill('SIGKILL');
    await exited(first);
    await eventually(() => !javaRunning(dynamoPort));
    // Act
    const second = start(env);
    let out = '';
    second.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitForLine(second, /Karbor API on/);
    // Outright again: a Ctrl-C would wait for the resumed job's minute.
    second.kill('SIGKILL');
    await exited(second);
    await eventually(() => !javaRunning(dynamoPort));
    rmSync(dir, { recursive: true, force: true });
    // Assess: the stages in the order they happen, before the banner.
    const stages = out.split('\n').filter((l) => l.startsWith('karbor: '));
    const order = [
      /port \d+ on 127.0.0.1 is free/,
      /^karbor: console/,
      /starting DynamoDB Local/,
      /DynamoDB Local ready on .*data in/,
      /table karbor ready/,
      // The second Region of the local DR walk-through (docs/decisions.md §26).
      /starting the DR Region's DynamoDB Local \(us-west-2\)/,
      /DR Region us-west-2 ready: DynamoDB Local on .*, bank .*dr\/bank \(destination dr\)/,
      /scheduler running: 0 trigger/,
      /jobs: resumed 1/,
    ];
    expect(order.map((re) => stages.findIndex((l) => re.test(l)))).toEqual(order.map((_, i) => i));
    expect(stages.find((l) => l.includes('jobs: resumed'))).toContain(`checkpoint ${checkpointId} (protecting)`);
    expect(out.indexOf('jobs: resumed')).toBeLessThan(out.indexOf('Karbor API on'));
  }, 180000);

  it('runs the DR side (KARBOR_SITE=dr) on the DR data dir, in the DR Region, with the destination dr naming its own bank', async () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'karbor-drsite-'));
    const [port, dynamoPort] = [await freePort(), await freePort()];
    const child = start({ KARBOR_SITE: 'dr', PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), KARBOR_DATA_DIR: dir });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    // Act
    await waitForLine(child, /Karbor API on/);
    const res = await fetch(`http://127.0.0.1:${port}/v1/demo/destinations`, { headers: { 'X-Auth-Token': 'admin:demo' } });
    const imported = await fetch(`http://127.0.0.1:${port}/v1/demo/catalog/import`, {
      method: 'POST',
      headers: { 'X-Auth-Token': 'admin:demo', 'Content-Type': 'application/json' },
      body: JSON.stringify({ import: { bank: 'dr' } }),
    });
    child.kill('SIGTERM');
    await exited(child);
    await eventually(() => !javaRunning(dynamoPort));
    rmSync(dir, { recursive: true, force: true });
    // Assess
    expect(out).toContain(`DynamoDB Local ready on http://127.0.0.1:${dynamoPort} (data in ${path.join(dir, 'dr')})`);
    expect(out).toContain('this is the DR side (us-west-2)');
    expect(((await res.json()) as { destinations: unknown[] }).destinations).toEqual([
      { name: 'dr', region: 'us-west-2', account_id: null, role_arn: null, bank: 'karbor-dr-bank', kms_key_id: null, default: false },
    ]);
    expect(await imported.json()).toEqual({ import: { bank: 'dr', imported: 0, skipped: 0, plans_imported: 0, unreadable: 0 } });
  }, 180000);

  it('leaves no java behind even when it is killed outright', async () => {
    const [port, dynamoPort] = [await freePort(), await freePort()];
    const child = start({ PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), KARBOR_IN_MEMORY: '1' });
    await waitForLine(child, /Karbor API on/);
    expect(javaRunning(dynamoPort)).toBe(true);
    child.kill('SIGKILL');
    await exited(child);
    expect(await eventually(() => !javaRunning(dynamoPort))).toBe(true);
  }, 120000);

  it('reports a taken API port with the PORT= hint before it starts DynamoDB Local, and leaves no java', async () => {
    // Prepare: a server already holds the API port.
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const dynamoPort = await freePort();
    // Act
    const child = start({ PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), KARBOR_IN_MEMORY: '1' });
    const out: string[] = [];
    child.stderr?.on('data', (d: Buffer) => out.push(d.toString()));
    const code = await exited(child);
    blocker.close();
    // Assess
    expect(code).toBe(1);
    expect(out.join('')).toContain('start-up failed');
    expect(out.join('')).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(out.join('')).toContain(`PORT=${port + 1} npm start`);
    expect(await eventually(() => !javaRunning(dynamoPort))).toBe(true);
  }, 120000);

  it('says in one line how to install Java when it is missing', async () => {
    // Prepare: a PATH with node and nothing else.
    const bin = mkdtempSync(path.join(tmpdir(), 'karbor-bin-'));
    symlinkSync(process.execPath, path.join(bin, 'node'));
    // Act
    const child = start({ PATH: bin, KARBOR_IN_MEMORY: '1', PORT: String(await freePort()) });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await exited(child);
    rmSync(bin, { recursive: true, force: true });
    // Assess
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining('apt-get install -y openjdk-17-jre-headless')]);
  }, 60000);
});
