import { randomUUID } from 'node:crypto';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { dynamoDbExportPlugin } from '../../../../../shared/features/protection/adapters/plugins/dynamodb-export';
import { bankSection } from '../../../../../shared/features/protection/bank';
import { type JobSteps, localSteps } from '../../../../../shared/features/protection/job-steps';
import type { GraphResource, PluginContext } from '../../../../../shared/features/protection/plugins';
import { memoryBank } from '../../../../support/protection-fakes';
import { testClients } from '../../../../support/dynamo';

const TYPE = 'AWS::DynamoDB::Table';
const VERIFICATION = 'abcdef12-0000-4000-8000-000000000001';

describe('DynamoDB export plugin: verify against DynamoDB Local', () => {
  const { client } = testClients();
  const plugin = dynamoDbExportPlugin(client, { maxWaitSeconds: 30 });
  const source = `verify-src-${randomUUID()}`;
  const resource: GraphResource = { type: TYPE, id: source, name: source, extraInfo: null };
  const scratch = `karbor-restore-verify-${source}-${VERIFICATION.slice(0, 8)}`;
  const bank = memoryBank();
  const steps = (recorded: Record<string, unknown>) => localSteps({ recorded, save: async () => undefined, sleep: async () => undefined });
  const contextFor = (over: Partial<PluginContext>): PluginContext => ({
    checkpointId: 'cp-verify',
    projectId: 'p1',
    bank: bankSection(bank, 'cp-verify', `${TYPE}#${source}`),
    parameters: {},
    restored: {},
    progress: async () => undefined,
    steps: steps({}),
    ...over,
  });
  const exists = async (table: string) =>
    client.send(new DescribeTableCommand({ TableName: table })).then(
      () => true,
      (error) => {
        if (error instanceof ResourceNotFoundException) return false;
        throw error;
      },
    );
  const pageKey = `checkpoints/cp-verify/${TYPE}#${source}/items-00000.json`;
  let goodPage: string;

  beforeAll(async () => {
    await client.send(
      new CreateTableCommand({
        TableName: source,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const items = Array.from({ length: 40 }, (_, n) => ({
      pk: { S: `k${n}` },
      n: { N: String(n) },
      tags: { SS: ['b', 'a', `t${n}`] },
      blob: { B: Buffer.from(`x${n}`) },
    }));
    for (let i = 0; i < items.length; i += 25) {
      await client.send(new BatchWriteItemCommand({ RequestItems: { [source]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    await plugin.protect(contextFor({}), resource);
    goodPage = bank.objects.get(pageKey)!;
  });
  afterEach(() => {
    bank.objects.set(pageKey, goodPage);
  });
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: source })).catch(() => undefined);
    await client.send(new DeleteTableCommand({ TableName: scratch })).catch(() => undefined);
  });

  it('drills by default: restores into a scratch table, compares count and digest, and deletes the table', async () => {
    // Prepare
    const ctx = contextFor({ restoreId: VERIFICATION, steps: steps({}) });
    // Act
    const result = await plugin.verify(ctx, resource);
    // Assess
    expect(result).toEqual({ ok: true, reason: `scratch table ${scratch} (deleted): 40 items, matching the export's count and digest` });
    expect(await exists(scratch)).toBe(false);
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    expect(TableNames.filter((t) => t.includes(source))).toEqual([source]);
  });

  it('fails when the exported items were altered, and still deletes the scratch table', async () => {
    // Prepare: one item's value changed in the bank.
    bank.objects.set(pageKey, goodPage.replace('"N":"7"', '"N":"8"'));
    const ctx = contextFor({ restoreId: VERIFICATION, steps: steps({}) });
    // Act
    const result = await plugin.verify(ctx, resource);
    // Assess
    expect(result).toEqual({ ok: false, reason: `the items of scratch table ${scratch} (deleted) differ from the export's digest (40 items)` });
    expect(await exists(scratch)).toBe(false);
  });

  it('at depth basic compares the bank pages only, creating nothing', async () => {
    // Prepare
    bank.objects.set(pageKey, JSON.stringify((JSON.parse(goodPage) as unknown[]).slice(1)));
    const ctx = contextFor({ restoreId: VERIFICATION, parameters: { depth: 'basic' } });
    // Act
    const result = await plugin.verify(ctx, resource);
    // Assess
    expect(result).toEqual({ ok: false, reason: 'the bank export holds 39 items, the export 40' });
    expect(await exists(scratch)).toBe(false);
  });

  it('a drill killed mid-way resumes from its recorded steps and still removes the scratch table', async () => {
    // Prepare: the first attempt is killed while it compares (its step never returns, its clean-up never runs).
    const recorded: Record<string, unknown> = {};
    let killed!: () => void;
    const atKill = new Promise<void>((resolve) => (killed = resolve));
    const first = steps(recorded);
    const dying: JobSteps = {
      ...first,
      step: (name, fn) => {
        if (name !== 'scratch-compare') return first.step(name, fn);
        killed();
        return new Promise(() => undefined);
      },
    };
    void plugin.verify(contextFor({ restoreId: VERIFICATION, steps: dying }), resource);
    await atKill;
    const leftByCrash = await exists(scratch);
    // Act: the retry replays the same job's steps.
    const result = await plugin.verify(contextFor({ restoreId: VERIFICATION, steps: steps({ ...recorded }) }), resource);
    // Assess
    expect(leftByCrash).toBe(true);
    expect(Object.keys(recorded)).toEqual(['scratch-create', 'scratch-fill']);
    expect(result.ok).toBe(true);
    expect(await exists(scratch)).toBe(false);
  });

  it('says so for an export made before item digests', async () => {
    // Prepare
    const key = `checkpoints/cp-verify/${TYPE}#${source}/table.json`;
    const saved = bank.objects.get(key)!;
    const { items_digest: _dropped, ...old } = JSON.parse(saved) as Record<string, unknown>;
    bank.objects.set(key, JSON.stringify(old));
    // Act
    const result = await plugin.verify(contextFor({ restoreId: VERIFICATION }), resource);
    bank.objects.set(key, saved);
    // Assess
    expect(result).toEqual({ ok: true, reason: 'nothing to compare: this checkpoint was exported before exports kept a digest of their items' });
    expect(await exists(scratch)).toBe(false);
  });
});
