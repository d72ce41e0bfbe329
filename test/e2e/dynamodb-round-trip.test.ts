import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { restoreTableName } from '../../shared/features/protection/restore-name';
import { testClients } from '../support/dynamo';
import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const AWS_PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const P = 'roundtrip';
const TYPE = 'AWS::DynamoDB::Table';

const scanAll = async (table: string) => {
  const { client } = testClients();
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (i: Record<string, AttributeValue>) => `${i.pk.S}#${i.sk.N}`;
  return items
    .sort((a, b) => (key(a) < key(b) ? -1 : 1))
    .map((i) => JSON.parse(JSON.stringify(i, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))));
};

describe('local round trip: a DynamoDB table protected into the bank and restored (AWS provider, export plugin)', () => {
  let server: TestServer;
  const { client } = testClients();
  const table = `rt-src-${randomUUID()}`;
  // Every restore target carries the restore prefix (shared/features/protection/restore-name.ts): restore_name=<table> comes back under it.
  const restored = restoreTableName(table, table, '');

  beforeAll(async () => {
    server = await startTestServer();
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'color', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'by-color', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }),
    );
    // More items than one export page, with every attribute kind.
    const items = Array.from({ length: 1203 }, (_, n) => ({
      pk: { S: `p${n % 7}` },
      sk: { N: String(n) },
      color: { S: ['red', 'green', 'blue'][n % 3] },
      blob: { B: Buffer.from(`bytes-${n}`) },
      tags: { SS: [`t${n % 5}`, 'all'] },
      nested: { M: { list: { L: [{ N: '1' }, { BOOL: n % 2 === 0 }, { NULL: true }] }, text: { S: `é ${n}` } } },
    }));
    for (let i = 0; i < items.length; i += 25) {
      await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  });
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await client.send(new DeleteTableCommand({ TableName: restored })).catch(() => undefined);
    await server.stop();
  });

  it('writes, protects, deletes the table, restores it and finds the same items and indexes', async () => {
    // Prepare
    const before = await scanAll(table);
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'tables', provider_id: AWS_PROVIDER, parameters: {}, resources: [{ id: table, type: TYPE, name: table }] } },
    });
    expect(plan.status).toBe(200);

    // Act: protect
    const created = await server.call('POST', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints`, { body: { checkpoint: { plan_id: plan.body.plan.id } } });
    const checkpointId = created.body.checkpoint.id;
    const protectedCp = await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint.status !== 'protecting',
      { tries: 300, intervalMs: 100 },
    );
    // Act: lose the table, then restore it
    await client.send(new DeleteTableCommand({ TableName: table }));
    const restore = await server.call('POST', `/v1/${P}/restores`, {
      body: { restore: { provider_id: AWS_PROVIDER, checkpoint_id: checkpointId, parameters: { [TYPE]: { restore_name: table } } } },
    });
    const done = await waitFor(
      () => server.call('GET', `/v1/${P}/restores/${restore.body.restore.id}`),
      (r) => r.body.restore.status !== 'in_progress',
      { tries: 300, intervalMs: 100 },
    );
    const after = await scanAll(restored);
    const described = await client.send(new DescribeTableCommand({ TableName: restored }));

    // Assess
    expect(protectedCp.body.checkpoint.status).toBe('available');
    expect(JSON.parse(protectedCp.body.checkpoint.resource_graph)[0]).toEqual({ '0x0': [TYPE, table, table, null] });
    expect(done.body.restore.status).toBe('success');
    expect(done.body.restore.resources_status).toEqual({ [`${TYPE}#${table}`]: 'available' });
    // It names what it made (a new table under the restore-target prefix); restore_target stays the caller's.
    expect(done.body.restore.restored_as).toEqual({ [`${TYPE}#${table}`]: restored });
    expect(done.body.restore.restore_target).toBeNull();
    expect(after).toHaveLength(1203);
    expect(after).toEqual(before);
    expect(described.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['by-color']);
  });

  it('fails a restore into a table that exists, with the reason per resource', async () => {
    // Prepare
    const list = await server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints`);
    const checkpointId = list.body.checkpoints[0].id;
    // Act
    const restore = await server.call('POST', `/v1/${P}/restores`, {
      body: { restore: { provider_id: AWS_PROVIDER, checkpoint_id: checkpointId, parameters: { [TYPE]: { restore_name: table } } } },
    });
    const done = await waitFor(
      () => server.call('GET', `/v1/${P}/restores/${restore.body.restore.id}`),
      (r) => r.body.restore.status !== 'in_progress',
      { tries: 300, intervalMs: 100 },
    );
    // Assess
    expect(done.body.restore.status).toBe('fail');
    expect(done.body.restore.resources_status[`${TYPE}#${table}`]).toBe('error');
    expect(done.body.restore.resources_reason[`${TYPE}#${table}`]).toMatch(/exist|in use/i);
  });

  it('deleting the checkpoint removes its data from the bank', async () => {
    // Prepare
    const list = await server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints`);
    const checkpointId = list.body.checkpoints[0].id;
    const folder = path.join(server.runtime.host.settings.KARBOR_BANK_DIR!, 'checkpoints', checkpointId);
    const hadData = existsSync(path.join(folder, `${TYPE}#${table}`, 'table.json'));
    // Act
    await server.call('DELETE', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints/${checkpointId}`);
    const final = await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint.status !== 'deleting',
      { tries: 300, intervalMs: 100 },
    );
    // Assess
    expect(hadData).toBe(true);
    expect(final.body.checkpoint.status).toBe('deleted');
    expect(existsSync(folder)).toBe(false);
  });
});
