import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { complianceKey } from '../../shared/features/plans/transact';
import { testClients } from '../support/dynamo';
import { describeCli, karbor, properties, tableRows } from '../support/karbor-cli';
import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const AWS_PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const P = 'drilling';
const TYPE = 'AWS::DynamoDB::Table';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
jest.setTimeout(180000);

/**
 * Drills (docs/decisions.md §24) over the local HTTP server: `verify`
 * scheduled operations on a DynamoDB plan (export plugin), fired by the
 * local scheduler's injected minute.
 */
describe('drills: verify scheduled operations over HTTP', () => {
  let server: TestServer;
  const { client, doc } = testClients();
  const table = `drill-src-${randomUUID()}`;
  let planId: string;
  let newest: string;
  let ops: string[];
  let triggerId: string;
  /** The trigger's minute each hour: the coming one, which the test fires itself (the real timer's firing of it is a duplicate). */
  const first = new Date(Math.ceil((Date.now() + 1000) / 60000) * 60000);

  const protect = async () => {
    const created = await server.call('POST', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints`, { body: { checkpoint: { plan_id: planId } } });
    const done = await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints/${created.body.checkpoint.id}`),
      (r) => r.body.checkpoint.status !== 'protecting',
      { tries: 300, intervalMs: 100 },
    );
    expect(done.body.checkpoint.status).toBe('available');
    return created.body.checkpoint.id as string;
  };
  /** Each operation's run of this occurrence, once it has ended, with its operation log. */
  const runsOf = (after: string) =>
    waitFor(
      async () =>
        Promise.all(
          ops.map(async (id) => {
            const op = (await server.call('GET', `/v1/${P}/scheduled_operations/${id}`)).body.scheduled_operation;
            const run = op.last_run;
            const log = run && run.time > after ? (await server.call('GET', `/v1/${P}/operation_logs/${run.operation_log_id}`)).body.operation_log : undefined;
            return { id, status: log?.status as string | undefined, log };
          }),
        ),
      (runs) => runs.every((r) => r.status !== undefined && r.status !== 'in_progress'),
      { tries: 300, intervalMs: 100 },
    );
  const verifications = async () => (await server.call('GET', `/v1/${P}/verifications`)).body.verifications as Array<Record<string, any>>;
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
    const items = Array.from({ length: 12 }, (_, n) => ({ PutRequest: { Item: { pk: { S: `k${n}` }, v: { N: String(n) } } } }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items } }));
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'drilled', provider_id: AWS_PROVIDER, parameters: {}, resources: [{ id: table, type: TYPE, name: table }] } },
    });
    planId = plan.body.plan.id;
    await server.call('PUT', `/v1/${P}/plans/${planId}`, { body: { plan: { status: 'started' } } });
    await protect();
    newest = await protect();
    const trigger = await server.call('POST', `/v1/${P}/triggers`, {
      body: { trigger_info: { name: 'hourly drill', type: 'time', properties: { format: 'crontab', pattern: `${first.getUTCMinutes()} * * * *` } } },
    });
    triggerId = trigger.body.trigger_info.id;
    // Two drills of the one plan on the one trigger: every occurrence, they race for the plan's guard.
    ops = [];
    for (const name of ['drill a', 'drill b']) {
      const op = await server.call('POST', `/v1/${P}/scheduled_operations`, {
        body: {
          scheduled_operation: {
            name,
            operation_type: 'verify',
            trigger_id: triggerId,
            operation_definition: { provider_id: AWS_PROVIDER, plan_id: planId, depth: 'full' },
          },
        },
      });
      expect(op.status).toBe(200);
      expect(op.body.scheduled_operation).toMatchObject({ operation_type: 'verify', operation_definition: { depth: 'full' } });
      ops.push(op.body.scheduled_operation.id);
    }
  });
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    await server.stop();
  });

  it('refuses a verify operation whose depth it does not know (400)', async () => {
    // Act
    const res = await server.call('POST', `/v1/${P}/scheduled_operations`, {
      body: {
        scheduled_operation: {
          name: 'bad',
          operation_type: 'verify',
          trigger_id: triggerId,
          operation_definition: { provider_id: AWS_PROVIDER, plan_id: planId, depth: 'deep' },
        },
      },
    });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toBe('Invalid operation definition, reason:Depth must be one of basic, full');
  });

  it('verifies the newest available checkpoint at an occurrence, skips the racing second drill, leaves no scratch table, and the plan learns of it', async () => {
    // Act
    const before = new Date().toISOString();
    await server.runtime.scheduler!.fireMinute(first);
    const runs = await runsOf(before);
    const [verification] = await verifications();
    const done = await waitFor(
      () => server.call('GET', `/v1/${P}/verifications/${verification.id}`),
      (r) => r.body.verification.status !== 'in_progress',
      { tries: 300, intervalMs: 100 },
    );
    const compliance = (await doc.send(new GetCommand({ TableName: server.tableName, Key: complianceKey(planId) }))).Item;
    const plan = (await server.call('GET', `/v1/${P}/plans/${planId}`)).body.plan;
    // Assess: one drill ran, the other was skipped and says why
    const ran = runs.find((r) => r.status === 'success')!;
    const skipped = runs.find((r) => r.status === 'skipped')!;
    expect(runs.map((r) => r.status).sort()).toEqual(['skipped', 'success']);
    expect(ran.log).toMatchObject({ operation_type: 'verify', checkpoint_id: newest, plan_id: planId, scheduled_operation_id: ran.id });
    expect(skipped.log.error_info).toMatch(
      new RegExp(`^A drill of plan ${planId} is running \\(verification ${UUID.source}\\): this occurrence is skipped\\.$`),
    );
    expect(await verifications()).toHaveLength(1);
    expect(done.body.verification).toMatchObject({ checkpoint_id: newest, status: 'success', parameters: { [TYPE]: { depth: 'full' } } });
    expect(done.body.verification.resources_reason[`${TYPE}#${table}`]).toMatch(/^scratch table karbor-restore-verify-.+ \(deleted\): 12 items/);
    expect(await scratchTables()).toEqual([]);
    expect(compliance).toMatchObject({ lastVerifiedCheckpointId: newest, lastVerifiedAt: expect.any(String) });
    expect(plan.compliance).toMatchObject({ status: 'compliant', expected_interval_seconds: 3600 + 900 });
    // The view shows it in Karbor's time text (docs/decisions.md §24).
    expect(plan.compliance.last_verified_at).toBe(`${String(compliance?.lastVerifiedAt).slice(0, 23)}000`);
  });

  it('runs the next occurrence once the earlier drill has ended', async () => {
    // Act: the next hour's occurrence, fired early (fire-trigger accepts an early firing)
    const before = new Date().toISOString();
    await server.runtime.scheduler!.fireMinute(new Date(first.getTime() + 3600_000));
    const runs = await runsOf(before);
    // Assess
    expect(runs.map((r) => r.status).sort()).toEqual(['skipped', 'success']);
    expect(await verifications()).toHaveLength(2);
  });

  describeCli('karbor CLI', () => {
    it('scheduledoperation-list and -show still parse verify operations', async () => {
      // Act
      const list = await karbor(server.url, P, ['scheduledoperation-list']);
      const shown = await karbor(server.url, P, ['scheduledoperation-show', ops[0]]);
      // Assess
      expect(list.status).toBe(0);
      const rows = tableRows(list.stdout);
      expect(rows.slice(1).map((r) => r[0])).toEqual(expect.arrayContaining(ops));
      expect(rows[0]).toEqual(['Id', 'Name']);
      expect(shown.status).toBe(0);
      expect(properties(shown.stdout)).toMatchObject({ id: ops[0], operation_type: 'verify' });
      expect(shown.stdout).toContain(planId);
    });
  });
});
