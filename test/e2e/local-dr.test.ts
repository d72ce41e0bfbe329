import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { localDynamoClient } from '../../shared/dynamo/client';
import { DR, drDataDir } from '../../infra/local/dr-region';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { restoreTableName } from '../../shared/features/protection/restore-name';
import { testEndpoint } from '../support/dynamo';
import { REPO_ROOT } from '../support/local-server';
import { waitFor } from '../support/wait';

const AWS_PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const P = 'drproj';
const TYPE = 'AWS::DynamoDB::Table';

/** Sorted items of a table, as JSON text: equal text is the same items, byte for byte. */
const itemsText = async (endpoint: string, table: string): Promise<string> => {
  const out = await localDynamoClient(endpoint).send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return (out.Items ?? [])
    .map((i) => JSON.stringify(i, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)))
    .sort()
    .join('\n');
};

const call = async (runtime: LocalRuntime, method: string, url: string, body?: unknown, token = `admin:${P}`) => {
  const res = await fetch(`${runtime.url}${url}`, {
    method,
    headers: { 'X-Auth-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

/**
 * The README's DR walk-through (docs/decisions.md §26) against the real local servers: the primary with its
 * second Region (a second DynamoDB Local and bank folder, the built-in destination `dr`), then, with the primary
 * stopped, the DR side's own Karbor on the DR data dir.
 */
describe('the whole disaster on one laptop', () => {
  let base: string;
  let primary: LocalRuntime | undefined;
  let drSite: LocalRuntime | undefined;
  const table = `dr-orders-${randomUUID()}`;
  const checkpoints = `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints`;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'karbor-dr-'));
  });
  afterAll(async () => {
    await primary?.stop();
    await drSite?.stop();
    await localDynamoClient(testEndpoint())
      .send(new DeleteTableCommand({ TableName: table }))
      .catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  });

  it('copies a table to the DR Region, loses it and the primary, imports the catalog there and restores it byte for byte', async () => {
    // Prepare: the primary (its table in the shared test DynamoDB Local), with the DR Region on.
    primary = await startLocalRuntime({
      port: 0,
      dataDir: base,
      dynamoEndpoint: testEndpoint(),
      tableName: `e2e-${randomUUID()}`,
      moduleRoot: REPO_ROOT,
      dr: { role: 'primary', dataDir: drDataDir(base) },
      env: { ...process.env },
    });
    const users = localDynamoClient(testEndpoint());
    await users.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const items = Array.from({ length: 40 }, (_, n) => ({
      PutRequest: { Item: { id: { S: `order-${n}` }, total: { N: String(n * 10) }, blob: { B: Buffer.from(`b${n}`) } } },
    }));
    for (let i = 0; i < items.length; i += 25) await users.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25) } }));
    const before = await itemsText(testEndpoint(), table);
    const destinations = await call(primary, 'GET', `/v1/${P}/destinations`);
    const plan = await call(primary, 'POST', `/v1/${P}/plans`, {
      plan: { name: 'orders to DR', provider_id: AWS_PROVIDER, parameters: {}, destinations: [DR.name], resources: [{ id: table, type: TYPE, name: table }] },
    });
    const planId = plan.body.plan.id;
    const created = await call(primary, 'POST', checkpoints, { checkpoint: { plan_id: planId } });
    const sourceId = created.body.checkpoint.id;
    await waitFor(
      () => call(primary!, 'GET', `${checkpoints}/${sourceId}`),
      (r) => r.body.checkpoint.status === 'available',
      { tries: 300, intervalMs: 100 },
    );

    // Act 1: copy to the DR Region
    const copied = await call(primary, 'POST', `${checkpoints}/action`, { copy: { plan_id: planId } });
    const copyId = copied.body.copy.checkpoint_id[0].checkpoint_copy_id;
    const copy = await waitFor(
      () => call(primary!, 'GET', `${checkpoints}/${copyId}`),
      (r) => !['wait_copying', 'copying'].includes(r.body.checkpoint.status),
      { tries: 300, intervalMs: 100 },
    );
    const drBank = path.join(drDataDir(base), 'bank', 'checkpoints', copyId);
    const record = JSON.parse(await readFile(path.join(drBank, 'checkpoint.json'), 'utf8'));
    const copiedExport = await readFile(path.join(drBank, `${TYPE}#${table}`, 'items-00000.json'), 'utf8');
    const sourceExport = await readFile(path.join(base, 'bank', 'checkpoints', sourceId, `${TYPE}#${table}`, 'items-00000.json'), 'utf8');
    // A legal hold on the copy reaches its record in the DR bank (where its data is), not the primary's.
    const held = await call(primary, 'PUT', `${checkpoints}/${copyId}/lock`, { legal_hold: true });
    const heldRecord = JSON.parse(await readFile(path.join(drBank, 'checkpoint.json'), 'utf8'));

    // Act 2: drop the user's table, stop the primary
    await users.send(new DeleteTableCommand({ TableName: table }));
    await primary.stop();
    primary = undefined;

    // Act 3: the DR side's own Karbor, its catalog imported from its bank
    drSite = await startLocalRuntime({ port: 0, dataDir: drDataDir(base), moduleRoot: REPO_ROOT, dr: { role: 'dr-site' }, env: { ...process.env } });
    const emptyBefore = await call(drSite, 'GET', checkpoints);
    const imported = await call(drSite, 'POST', `/v1/${P}/catalog/import`, { import: { bank: DR.name } });
    const listed = await call(drSite, 'GET', checkpoints);

    // Act 4: restore from the copy there
    const restore = await call(drSite, 'POST', `/v1/${P}/restores`, {
      restore: { provider_id: AWS_PROVIDER, checkpoint_id: copyId, parameters: { [TYPE]: { restore_name: table } } },
    });
    const done = await waitFor(
      () => call(drSite!, 'GET', `/v1/${P}/restores/${restore.body.restore.id}`),
      (r) => r.body.restore.status !== 'in_progress',
      { tries: 300, intervalMs: 100 },
    );
    const after = await itemsText(drSite.dynamoEndpoint, restoreTableName(table, table, ''));

    // Assess
    expect(destinations.body.destinations).toEqual([
      { name: 'dr', region: 'us-west-2', account_id: null, role_arn: null, bank: 'karbor-dr-bank', kms_key_id: null, default: false },
    ]);
    expect(copy.body.checkpoint.status).toBe('available');
    expect(JSON.parse(copy.body.checkpoint.extra_info)).toEqual({ source_checkpoint_id: sourceId, destination: 'dr', copy_status: 'finished' });
    // The copy's data and record are in the DR bank only.
    expect(record.checkpoint).toMatchObject({ id: copyId, project_id: P, plan_id: planId, status: 'available' });
    expect(held.status).toBe(200);
    expect(heldRecord.checkpoint.legal_hold).toBe(true);
    expect(copiedExport).toBe(sourceExport);
    expect(existsSync(path.join(base, 'bank', 'checkpoints', copyId))).toBe(false);
    expect(emptyBefore.body.checkpoints).toEqual([]);
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ import: { bank: 'dr', imported: 1, skipped: 0, plans_imported: 1, unreadable: 0 } });
    expect(listed.body.checkpoints.map((c: { id: string }) => c.id)).toEqual([copyId]);
    expect(done.body.restore.status).toBe('success');
    expect(after).toBe(before);
    expect(after.split('\n')).toHaveLength(40);
    // Two DynamoDB Local JVMs start in this test: minutes on a loaded machine.
  }, 300000);
});
