import { readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { testClients } from '../support/dynamo';
import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const AWS_PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const P = 'verifying';
const TYPE = 'AWS::DynamoDB::Table';

/** The local bank folder of a checkpoint (the test server's bank is a fresh temporary directory). */
const bankFolder = (checkpointId: string): string => {
  for (const dir of readdirSync(tmpdir()).filter((d) => d.startsWith('karbor-bank-'))) {
    const folder = path.join(tmpdir(), dir, 'checkpoints', checkpointId);
    if (existsSync(folder)) return folder;
  }
  throw new Error(`no bank folder for checkpoint ${checkpointId}`);
};

describe('verifications of DynamoDB checkpoints on the local server (export plugin)', () => {
  let server: TestServer;
  const { client } = testClients();
  const table = `ver-src-${randomUUID()}`;
  let checkpointId: string;

  const verify = async (parameters?: Record<string, unknown>) => {
    const created = await server.call('POST', `/v1/${P}/verifications`, {
      body: { verification: { provider_id: AWS_PROVIDER, checkpoint_id: checkpointId, ...(parameters ? { parameters } : {}) } },
    });
    expect(created.status).toBe(200);
    return waitFor(
      () => server.call('GET', `/v1/${P}/verifications/${created.body.verification.id}`),
      (r) => r.body.verification.status !== 'in_progress',
      { tries: 300, intervalMs: 100 },
    );
  };
  const scratchTables = async () =>
    ((await client.send(new ListTablesCommand({}))).TableNames ?? []).filter((t) => t.startsWith(`karbor-restore-verify-${table}`));

  beforeAll(async () => {
    server = await startTestServer();
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const items = Array.from({ length: 30 }, (_, n) => ({ PutRequest: { Item: { pk: { S: `k${n}` }, v: { N: String(n) } } } }));
    for (let i = 0; i < items.length; i += 25) await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25) } }));
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'tables', provider_id: AWS_PROVIDER, parameters: {}, resources: [{ id: table, type: TYPE, name: table }] } },
    });
    const created = await server.call('POST', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints`, { body: { checkpoint: { plan_id: plan.body.plan.id } } });
    checkpointId = created.body.checkpoint.id;
    const done = await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint.status !== 'protecting',
      { tries: 300, intervalMs: 100 },
    );
    expect(done.body.checkpoint.status).toBe('available');
  });
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await server.stop();
  });

  it("shows the provider's verify_schema beside Karbor's schemas", async () => {
    // Act
    const res = await server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}`);
    // Assess
    expect(res.body.provider.extended_info_schema.verify_schema[TYPE].properties.depth.enum).toEqual(['basic', 'full']);
  });

  it('succeeds for a good checkpoint: the drill restores into a scratch table, compares, and leaves no table behind', async () => {
    // Act
    const done = await verify();
    const logs = await server.call('GET', `/v1/${P}/operation_logs?checkpoint_id=${checkpointId}`);
    // Assess
    const key = `${TYPE}#${table}`;
    expect(done.body.verification.status).toBe('success');
    expect(done.body.verification.resources_status).toEqual({ [key]: 'success' });
    expect(done.body.verification.resources_reason[key]).toMatch(
      /^scratch table karbor-restore-verify-.+ \(deleted\): 30 items, matching the export's count and digest; bank objects match their digests$/,
    );
    expect(await scratchTables()).toEqual([]);
    expect(logs.body.operation_logs.filter((l: { operation_type: string }) => l.operation_type === 'verify')).toEqual([
      expect.objectContaining({ status: 'success', ended_at: expect.any(String) }),
    ]);
  });

  it('fails when a bank object was altered after protect, naming the object', async () => {
    // Prepare: someone with write access to the bank changes one item of the export.
    const page = path.join(bankFolder(checkpointId), `${TYPE}#${table}`, 'items-00000.json');
    const good = readFileSync(page, 'utf8');
    writeFileSync(page, good.replace('"N":"3"', '"N":"4"'));
    // Act
    const done = await verify({ [TYPE]: { depth: 'basic' } });
    writeFileSync(page, good);
    // Assess
    const reason = `bank object checkpoints/${checkpointId}/${TYPE}#${table}/items-00000.json differs from the digest recorded at protect`;
    expect(done.body.verification).toMatchObject({
      status: 'fail',
      resources_status: { [`${TYPE}#${table}`]: 'fail' },
      status_reason: `${TYPE}#${table}: ${reason}`,
    });
    expect(done.body.verification.resources_reason).toEqual({ [`${TYPE}#${table}`]: reason });
    expect(await scratchTables()).toEqual([]);
  });
});
