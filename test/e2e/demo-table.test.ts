import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DynamoLocal, startDynamoLocal } from '../../infra/local/dynamo-local';
import { REPO_ROOT } from '../support/local-server';

/** scripts/demo-table.js in a second terminal: it finds the running DynamoDB Local by itself, with nothing exported. */
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'demo-table.js');

describe('scripts/demo-table.js', () => {
  let dataDir: string;
  let dynamo: DynamoLocal;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'karbor-demo-'));
    dynamo = await startDynamoLocal({ dataDir });
  }, 120_000);
  afterAll(async () => {
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("reads the port from the data dir's dynamodb-local.json when DYNAMODB_LOCAL_PORT is not set", () => {
    // Prepare: the data dir as KARBOR_DATA_DIR names it (npm start's own), no port exported.
    const env: NodeJS.ProcessEnv = { ...process.env, KARBOR_DATA_DIR: dataDir };
    delete env.DYNAMODB_LOCAL_PORT;
    // Act
    execFileSync(process.execPath, [SCRIPT, 'create', 'orders', '3'], { env, encoding: 'utf8' });
    const scan = execFileSync(process.execPath, [SCRIPT, 'scan', 'orders'], { env, encoding: 'utf8' });
    // Assess
    expect(scan.trim().split('\n')).toEqual([
      expect.stringContaining('"order-1"'),
      expect.stringContaining('"order-2"'),
      expect.stringContaining('"order-3"'),
      '3 items',
    ]);
  }, 60_000);

  it('says how to point it when no npm start is running there', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'karbor-demo-none-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, KARBOR_DATA_DIR: empty };
      delete env.DYNAMODB_LOCAL_PORT;
      const run = spawnSync(process.execPath, [SCRIPT, 'scan', 'orders'], { env, encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('no running npm start found');
      expect(run.stderr).toContain('DYNAMODB_LOCAL_PORT');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
