import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  waitUntilTableExists,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { sha256 } from '../../bank-manifest';
import { type GraphResource, type PluginContext, type ProtectionPlugin, type VerifyResult, verifyDepth } from '../../plugins';
import { restoreTableName } from '../../restore-name';
import { karborTags } from '../../tags';
import { intentName, restoreTarget } from './dynamodb-restore-target';
import { refuseInPlaceCopy } from './copy-refused';

/**
 * The IAM action of every SDK command this plugin sends, its helpers' included
 * (test/unit/shared/features/protection/adapters/plugins/iam-actions.test.ts
 * reads them from the source). Local only: the stack never selects it
 * (KARBOR_DYNAMODB_TABLE_PLUGIN stays `backup`), so the tenant role grants none of these.
 */
export const dynamoDbExportActions = [
  'dynamodb:BatchWriteItem',
  'dynamodb:CreateTable',
  'dynamodb:DeleteTable',
  'dynamodb:DescribeTable',
  'dynamodb:Scan',
] as const;

/**
 * `AWS::DynamoDB::Table` by export: every item of the table goes into the
 * bank; a restore creates a new table with the same keys and indexes and
 * writes the items back. It needs nothing but the DynamoDB data-plane API,
 * so it runs against DynamoDB Local: the local runtime uses it in place of
 * on-demand backups (KARBOR_DYNAMODB_TABLE_PLUGIN=export). It creates
 * nothing but the restored table, which carries Karbor's tags (DynamoDB Local
 * takes and ignores them); a retried restore resumes into the table its
 * crashed attempt created (./dynamodb-restore-target.ts). The export keeps
 * the item count and a digest of its items; a verification at depth `full`
 * (its default) restores into a scratch table, compares both, and deletes it.
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
  /** itemsDigest of what the export wrote; absent in exports made before verifications. */
  items_digest?: string;
}

/**
 * JSON with object keys in order and set members sorted: the same item gives
 * the same text whatever order DynamoDB returns its attributes and sets in.
 */
const canonical = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const o = v as Record<string, unknown>;
  const fields = Object.keys(o)
    .sort()
    .map((k) => {
      const x = o[k];
      const sorted = (k === 'SS' || k === 'NS' || k === 'BS64') && Array.isArray(x) ? [...(x as string[])].sort() : x;
      return `${JSON.stringify(k)}:${canonical(sorted)}`;
    });
  return `{${fields.join(',')}}`;
};

/** Collects item hashes; the digest does not depend on the order items come in (a Scan of a restored table differs). */
const itemsDigest = () => {
  const hashes: string[] = [];
  return {
    add: (encoded: unknown) => void hashes.push(sha256(canonical(encoded))),
    result: () => ({ count: hashes.length, digest: sha256(hashes.sort().join('\n')) }),
  };
};

/** The count and digest of every item of a table, by Scan. */
const scanDigest = async (client: DynamoDBClient, table: string) => {
  const digest = itemsDigest();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Limit: SCAN_PAGE, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) digest.add(encode({ M: item }));
    start = page.LastEvaluatedKey;
  } while (start);
  return digest.result();
};

const pageName = (n: number) => `items-${String(n).padStart(5, '0')}.json`;

/** The count and digest of the items the bank's export pages hold. */
const pagesDigest = async (ctx: PluginContext, resource: GraphResource, schema: SavedSchema) => {
  const digest = itemsDigest();
  for (let n = 0; n < schema.pages; n += 1) {
    const page = await ctx.bank.get(pageName(n));
    if (page === undefined) throw new Error(`export page ${n} of table ${resource.id} is missing`);
    for (const item of JSON.parse(page) as unknown[]) digest.add(item);
  }
  return digest.result();
};

/** Compares a count and digest with what the export recorded. */
const compare = (schema: SavedSchema, where: string, found: { count: number; digest: string }): VerifyResult => {
  if (found.count !== schema.item_count) return { ok: false, reason: `${where} holds ${found.count} items, the export ${schema.item_count}` };
  if (found.digest !== schema.items_digest) return { ok: false, reason: `the items of ${where} differ from the export's digest (${found.count} items)` };
  return { ok: true, reason: `${where}: ${found.count} items, matching the export's count and digest` };
};

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

/**
 * Deletes a scratch table (a verification's drill) only if this job's intent
 * names it: a stranger's table of the same name is never touched. A table
 * already gone is fine (the removal ran before a crash).
 */
const removeScratchTable = async (client: DynamoDBClient, ctx: PluginContext, name: string): Promise<boolean> => {
  const earlier = await ctx.bank.get(intentName(ctx));
  if (earlier === undefined || (JSON.parse(earlier) as { table: string }).table !== name) return false;
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  return true;
};

export const dynamoDbExportPlugin = (client: DynamoDBClient, opts: { maxWaitSeconds?: number; projectTagKey?: string } = {}): ProtectionPlugin => {
  const savedSchema = async (ctx: PluginContext, resource: GraphResource): Promise<SavedSchema> => {
    const saved = await ctx.bank.get('table.json');
    if (saved === undefined) throw new Error(`checkpoint holds no export of table ${resource.id}`);
    return JSON.parse(saved) as SavedSchema;
  };
  /** Creates the target table with the export's keys and indexes (or finds the one an earlier attempt created); its name. */
  const createTarget = async (ctx: PluginContext, resource: GraphResource, schema: SavedSchema, name?: string): Promise<string> => {
    const { name: target, resumed } = await restoreTarget(client, ctx, resource, name);
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
    return target;
  };
  /** Writes every exported item into the target once it exists (again on a resumed restore: puts of the same items). */
  const fillTarget = async (ctx: PluginContext, resource: GraphResource, schema: SavedSchema, target: string): Promise<void> => {
    await waitUntilTableExists({ client, maxWaitTime: opts.maxWaitSeconds ?? 600 }, { TableName: target });
    for (let n = 0; n < schema.pages; n += 1) {
      const page = await ctx.bank.get(pageName(n));
      if (page === undefined) throw new Error(`export page ${n} of table ${resource.id} is missing`);
      const items = (JSON.parse(page) as Record<string, unknown>[]).map((i) => decode(i).M!);
      await writeAll(client, target, items);
    }
  };
  return {
    async protect(ctx: PluginContext, resource) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: resource.id }));
      if (!Table) throw new Error(`table ${resource.id} not found`);
      let pages = 0;
      let count = 0;
      const digest = itemsDigest();
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: resource.id, Limit: SCAN_PAGE, ExclusiveStartKey: start, ConsistentRead: true }));
        const items = (page.Items ?? []).map((i) => encode({ M: i }));
        for (const item of items) digest.add(item);
        await ctx.bank.put(pageName(pages), JSON.stringify(items));
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
        items_digest: digest.result().digest,
      };
      await ctx.bank.put('table.json', JSON.stringify(schema));
    },

    async restore(ctx, resource) {
      const schema = await savedSchema(ctx, resource);
      await ctx.progress('restoring');
      const target = await createTarget(ctx, resource, schema);
      await fillTarget(ctx, resource, schema, target);
      await ctx.progress('available');
      return { id: target };
    },

    /**
     * basic: the bank's pages hold the export's count and digest; full: the
     * same of a scratch table restored from them, which a last step (run on
     * every path, and again by a resumed drill) deletes.
     */
    async verify(ctx, resource) {
      const depth = verifyDepth(ctx, 'full');
      const saved = await ctx.bank.get('table.json');
      if (saved === undefined) return { ok: false, reason: `the checkpoint holds no export of table ${resource.id} (table.json is missing)` };
      const schema = JSON.parse(saved) as SavedSchema;
      if (schema.items_digest === undefined) {
        return { ok: true, reason: 'nothing to compare: this checkpoint was exported before exports kept a digest of their items' };
      }
      if (depth === 'basic') return compare(schema, 'the bank export', await pagesDigest(ctx, resource, schema));
      const scratch = restoreTableName(`verify-${resource.id}-${(ctx.restoreId ?? ctx.checkpointId).slice(0, 8)}`, resource.id, '');
      try {
        await ctx.steps.step('scratch-create', () => createTarget(ctx, resource, schema, scratch));
        await ctx.progress('verifying', `restoring into scratch table ${scratch}`);
        await ctx.steps.step('scratch-fill', async () => (await fillTarget(ctx, resource, schema, scratch)) ?? null);
        const found = await ctx.steps.step('scratch-compare', () => scanDigest(client, scratch));
        return compare(schema, `scratch table ${scratch} (deleted)`, found);
      } finally {
        await ctx.steps.step('scratch-remove', () => removeScratchTable(client, ctx, scratch));
      }
    },

    // The export lives in the checkpoint's bank folder, which the worker deletes (a copy's: in its own bank).
    delete: async () => undefined,
    /**
     * To a named destination (docs/decisions.md §25, §26): the export's
     * objects (`table.json` and its pages, not a restore's intent files) go
     * from the source's folder into the copy's, in the copy's bank (the
     * destination's); the copy's restore then writes the table in the
     * destination's Region. Each object is read and written again: the same
     * bytes, so the copy's manifest has the source's digests, and a resumed
     * copy writes the same objects once more. To the provider itself:
     * refused (§15).
     */
    async copy(ctx, resource) {
      if (ctx.location === undefined || !ctx.copyOf) return refuseInPlaceCopy('export')(ctx, resource);
      const names = (await ctx.copyOf.bank.list()).filter((n) => n === 'table.json' || /^items-\d+\.json$/.test(n));
      if (!names.includes('table.json')) throw new Error(`checkpoint ${ctx.copyOf.checkpointId} holds no export of table ${resource.id}`);
      for (const name of names) {
        const body = await ctx.copyOf.bank.get(name);
        if (body === undefined) throw new Error(`bank object ${name} of checkpoint ${ctx.copyOf.checkpointId} is missing`);
        await ctx.bank.put(name, body);
      }
      await ctx.progress('copying', `${names.length} bank objects copied to ${ctx.location}`);
    },
  };
};
