import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
  waitUntilTableExists,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { PluginContext, ProtectionPlugin } from '../../plugins';
import { karborTags } from '../../tags';
import { restoreTarget } from './dynamodb-restore-target';
import { refuseInPlaceCopy } from './copy-refused';

/**
 * The IAM action of every SDK command this plugin sends, its helpers' included
 * (test/unit/shared/features/protection/adapters/plugins/iam-actions.test.ts
 * reads them from the source). Local only: the stack never selects it
 * (KARBOR_DYNAMODB_TABLE_PLUGIN stays `backup`), so the tenant role grants none of these.
 */
export const dynamoDbExportActions = ['dynamodb:BatchWriteItem', 'dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:Scan'] as const;

/**
 * `AWS::DynamoDB::Table` by export: every item of the table goes into the
 * bank; a restore creates a new table with the same keys and indexes and
 * writes the items back. It needs nothing but the DynamoDB data-plane API,
 * so it runs against DynamoDB Local: the local runtime uses it in place of
 * on-demand backups (KARBOR_DYNAMODB_TABLE_PLUGIN=export). It creates
 * nothing but the restored table, which carries Karbor's tags (DynamoDB Local
 * takes and ignores them); a retried restore resumes into the table its
 * crashed attempt created (./dynamodb-restore-target.ts).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
 */
const SCAN_PAGE = 500;
const BATCH = 25;

/** JSON cannot hold bytes: binary attribute values go to the bank as base64. */
const encode = (v: AttributeValue): unknown => {
  if (v.B !== undefined) return { B64: Buffer.from(v.B).toString('base64') };
  if (v.BS !== undefined) return { BS64: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.L !== undefined) return { L: v.L.map(encode) };
  if (v.M !== undefined) return { M: Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, encode(x)])) };
  return v;
};

const decode = (v: Record<string, unknown>): AttributeValue => {
  if ('B64' in v) return { B: Buffer.from(v.B64 as string, 'base64') };
  if ('BS64' in v) return { BS: (v.BS64 as string[]).map((b) => Buffer.from(b, 'base64')) };
  if ('L' in v) return { L: (v.L as Record<string, unknown>[]).map(decode) };
  if ('M' in v) return { M: Object.fromEntries(Object.entries(v.M as Record<string, Record<string, unknown>>).map(([k, x]) => [k, decode(x)])) };
  return v as unknown as AttributeValue;
};

interface SavedSchema {
  table_name: string;
  key_schema: CreateTableCommandInput['KeySchema'];
  attribute_definitions: CreateTableCommandInput['AttributeDefinitions'];
  global_indexes: { IndexName: string; KeySchema: unknown; Projection: unknown }[];
  local_indexes: { IndexName: string; KeySchema: unknown; Projection: unknown }[];
  item_count: number;
  pages: number;
}

const pageName = (n: number) => `items-${String(n).padStart(5, '0')}.json`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const writeAll = async (client: DynamoDBClient, table: string, items: Record<string, AttributeValue>[]) => {
  for (let i = 0; i < items.length; i += BATCH) {
    let pending: WriteRequest[] = items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 8) throw new Error(`could not write ${pending.length} items into ${table}`);
      if (attempt > 0) await sleep(50 * 2 ** attempt);
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = out.UnprocessedItems?.[table] ?? [];
    }
  }
};

export const dynamoDbExportPlugin = (client: DynamoDBClient, opts: { maxWaitSeconds?: number; projectTagKey?: string } = {}): ProtectionPlugin => ({
  async protect(ctx: PluginContext, resource) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: resource.id }));
    if (!Table) throw new Error(`table ${resource.id} not found`);
    let pages = 0;
    let count = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: resource.id, Limit: SCAN_PAGE, ExclusiveStartKey: start, ConsistentRead: true }));
      const items = page.Items ?? [];
      await ctx.bank.put(pageName(pages), JSON.stringify(items.map((i) => encode({ M: i }))));
      pages += 1;
      count += items.length;
      start = page.LastEvaluatedKey;
      await ctx.progress('protecting', `${count} items exported`);
    } while (start);
    const schema: SavedSchema = {
      table_name: resource.id,
      key_schema: Table.KeySchema,
      attribute_definitions: Table.AttributeDefinitions,
      global_indexes: (Table.GlobalSecondaryIndexes ?? []).map((g) => ({ IndexName: g.IndexName!, KeySchema: g.KeySchema, Projection: g.Projection })),
      local_indexes: (Table.LocalSecondaryIndexes ?? []).map((l) => ({ IndexName: l.IndexName!, KeySchema: l.KeySchema, Projection: l.Projection })),
      item_count: count,
      pages,
    };
    await ctx.bank.put('table.json', JSON.stringify(schema));
  },

  async restore(ctx, resource) {
    const saved = await ctx.bank.get('table.json');
    if (saved === undefined) throw new Error(`checkpoint holds no export of table ${resource.id}`);
    const schema = JSON.parse(saved) as SavedSchema;
    await ctx.progress('restoring');
    const { name: target, resumed } = await restoreTarget(client, ctx, resource);
    if (!resumed) {
      await client.send(
        new CreateTableCommand({
          TableName: target,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: schema.key_schema,
          AttributeDefinitions: schema.attribute_definitions,
          ...(schema.global_indexes.length > 0 ? { GlobalSecondaryIndexes: schema.global_indexes as never } : {}),
          ...(schema.local_indexes.length > 0 ? { LocalSecondaryIndexes: schema.local_indexes as never } : {}),
          Tags: karborTags(ctx, resource, opts.projectTagKey),
        }),
      );
    }
    // Writing every item again on a resumed restore is harmless: puts of the same items.
    await waitUntilTableExists({ client, maxWaitTime: opts.maxWaitSeconds ?? 600 }, { TableName: target });
    for (let n = 0; n < schema.pages; n += 1) {
      const page = await ctx.bank.get(pageName(n));
      if (page === undefined) throw new Error(`export page ${n} of table ${resource.id} is missing`);
      const items = (JSON.parse(page) as Record<string, unknown>[]).map((i) => decode(i).M!);
      await writeAll(client, target, items);
    }
    await ctx.progress('available');
    return { id: target };
  },

  // The export lives in the checkpoint's bank folder, which the worker deletes.
  delete: async () => undefined,
  /** Refused with its reason until copies have another destination (docs/decisions.md §15). */
  copy: refuseInPlaceCopy('export'),
});
