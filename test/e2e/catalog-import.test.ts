import { BatchWriteItemCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { restoreTableName } from '../../shared/features/protection/restore-name';
import { createSourceTable, testClients } from '../support/dynamo';
import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const AWS_PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const P = 'catalog-import';
const TYPE = 'AWS::DynamoDB::Table';

/** Sorted items of a table, as JSON text: equal text is the same items, byte for byte. */
const itemsText = async (table: string): Promise<string> => {
  const { client } = testClients();
  const out = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return JSON.stringify((out.Items ?? []).map((i) => JSON.stringify(i)).sort());
};

/** The catalog import (docs/decisions.md §26) over HTTP, on DynamoDB Local and the file bank. */
describe('catalog import: the catalog rebuilt from the bank after its items were deleted', () => {
  let server: TestServer;
  let table: string;
  let checkpointId: string;
  let planId: string;
  const { client, doc } = testClients();
  const checkpoints = `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints`;
  const importCall = (body: unknown, token?: string) => server.call('POST', `/v1/${P}/catalog/import`, { body, ...(token ? { token } : {}) });

  beforeAll(async () => {
    server = await startTestServer();
    table = await createSourceTable('import-src');
    const items = Array.from({ length: 30 }, (_, n) => ({ PutRequest: { Item: { PK: { S: `k${n}` }, SK: { S: 'v' }, n: { N: String(n) } } } }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(0, 25) } }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(25) } }));
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'kept tables', provider_id: AWS_PROVIDER, parameters: {}, resources: [{ id: table, type: TYPE, name: table }] } },
    });
    planId = plan.body.plan.id;
    const created = await server.call('POST', checkpoints, { body: { checkpoint: { plan_id: planId } } });
    checkpointId = created.body.checkpoint.id;
    await waitFor(
      () => server.call('GET', `${checkpoints}/${checkpointId}`),
      (r) => r.body.checkpoint.status === 'available',
      { tries: 300, intervalMs: 100 },
    );
  });
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await client.send(new DeleteTableCommand({ TableName: restoreTableName(table, table, '') })).catch(() => undefined);
    await server.stop();
  });

  it('keeps the checkpoint record beside its data, and its lock in it once locked', async () => {
    // Prepare
    const until = new Date(Date.now() + 86400_000).toISOString();
    // Act
    const locked = await server.call('PUT', `${checkpoints}/${checkpointId}/lock`, { body: { lock: { mode: 'governance', until } } });
    const bankDir = server.runtime.host.settings.KARBOR_BANK_DIR!;
    const record = JSON.parse(await readFile(path.join(bankDir, 'checkpoints', checkpointId, 'checkpoint.json'), 'utf8'));
    // Assess
    expect(locked.status).toBe(200);
    expect(record).toMatchObject({
      version: 1,
      checkpoint: { id: checkpointId, project_id: P, provider_id: AWS_PROVIDER, plan_id: planId, status: 'available', lock: { mode: 'governance', until } },
    });
  });

  it('refuses a member (admin only) and an unknown bank', async () => {
    // Act
    const member = await importCall({ import: { bank: 'primary' } }, `alice:${P}`);
    const unknown = await importCall({ import: { bank: 'nowhere' } });
    const bad = await importCall({ import: {} });
    // Assess
    expect(member.status).toBe(403);
    expect(unknown.status).toBe(400);
    expect(unknown.body.badRequest.message).toBe('Invalid input received: The destination nowhere is not configured.');
    expect(bad.status).toBe(400);
  });

  it('imports nothing twice over a catalog that has the checkpoint', async () => {
    // Act
    const again = await importCall({ import: { bank: 'primary' } });
    // Assess
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ import: { bank: 'primary', imported: 0, skipped: 1, plans_imported: 0, unreadable: 0 } });
  });

  it('brings back a checkpoint and its plan whose items were deleted, lists and restores it byte for byte', async () => {
    // Prepare: someone who can write the table (not the locked bank) deletes the catalog's items.
    const before = await itemsText(table);
    await doc.send(new DeleteCommand({ TableName: server.tableName, Key: { PK: `CHECKPOINT#${checkpointId}`, SK: 'CHECKPOINT' } }));
    await doc.send(new DeleteCommand({ TableName: server.tableName, Key: { PK: `PLAN#${planId}`, SK: 'PLAN' } }));
    const gone = await server.call('GET', checkpoints);
    await client.send(new DeleteTableCommand({ TableName: table }));
    // Act
    const imported = await importCall({ import: { bank: 'primary' } });
    const listed = await server.call('GET', checkpoints);
    const shown = await server.call('GET', `${checkpoints}/${checkpointId}`);
    const plan = await server.call('GET', `/v1/${P}/plans/${planId}`);
    const again = await importCall({ import: { bank: 'primary' } });
    const restore = await server.call('POST', `/v1/${P}/restores`, {
      body: { restore: { provider_id: AWS_PROVIDER, checkpoint_id: checkpointId, parameters: { [TYPE]: { restore_name: table } } } },
    });
    const done = await waitFor(
      () => server.call('GET', `/v1/${P}/restores/${restore.body.restore.id}`),
      (r) => r.body.restore.status !== 'in_progress',
      { tries: 300, intervalMs: 100 },
    );
    const deleteLocked = await server.call('DELETE', `${checkpoints}/${checkpointId}`);
    // Assess
    expect(gone.body.checkpoints.map((c: { id: string }) => c.id)).not.toContain(checkpointId);
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ import: { bank: 'primary', imported: 1, skipped: 0, plans_imported: 1, unreadable: 0 } });
    expect(listed.body.checkpoints.map((c: { id: string }) => c.id)).toContain(checkpointId);
    expect(shown.body.checkpoint).toMatchObject({ id: checkpointId, status: 'available', lock: { mode: 'governance' } });
    expect(plan.body.plan).toMatchObject({ id: planId, name: 'kept tables', status: 'suspended' });
    expect(plan.body.plan.description).toMatch(/^Imported from the bank by a catalog import/);
    expect(again.body.import).toMatchObject({ imported: 0, skipped: 1, plans_imported: 0 });
    expect(done.body.restore.status).toBe('success');
    expect(await itemsText(done.body.restore.restored_as[`${TYPE}#${table}`])).toBe(before);
    // The imported lock still binds.
    expect(deleteLocked.status).toBe(409);
  });
});
