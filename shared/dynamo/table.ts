/**
 * The single table: every seed table (plans, resources, triggers, scheduled
 * operations, restores, services, ...) is an item type here. The CDK stack and
 * the local runtime both create the table from this definition.
 *
 * Keys are generic and overloaded; each feature's store
 * (shared/features/<feature>/store.ts) owns its key builders and writes its
 * access patterns beside them, and INDEX_MAP below says what every GSI holds
 * for every item type. Rules:
 * - key prefixes are fixed upper case (`PROJECT#`, `PLAN#`); ids and names are
 *   stored unchanged, never lower-cased;
 * - every item has `entity` and `schemaVersion`;
 * - no request path uses Scan: every list is a Query with Limit.
 */

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** Overloaded global secondary indexes, all projecting every attribute. */
  globalIndexes: IndexDefinition[];
  /** Epoch seconds after which DynamoDB may expire an item (tombstones, run guards). */
  ttlAttribute: string;
}

/** The item types (`entity` attribute) that have index entries. */
export type IndexedEntity = 'plan' | 'trigger' | 'scheduledOperation' | 'operationLog' | 'checkpoint' | 'restore' | 'verification';

export type IndexName = 'GSI1' | 'GSI2' | 'GSI3' | 'GSI4' | 'GSI5' | 'GSI6' | 'GSI7' | 'GSI8' | 'GSI9' | 'GSI10';

/**
 * What each GSI holds, per item type: the one place that answers "what is on
 * GSI2?". Each entry is the list it serves (the store beside the item type
 * writes the keys and queries them; a test checks both agree). Every list is
 * a Query on one of these, never a Scan. Item types not named here (services,
 * quotas, quota usage, scheduled runs) are read by key only.
 */
export const INDEX_MAP: Record<IndexName, Partial<Record<IndexedEntity, string>>> = {
  GSI1: {
    plan: "a project's plans by created_at",
    trigger: "a project's triggers by created_at",
    scheduledOperation: "a project's scheduled operations by created_at",
    operationLog: "a project's operation logs by started_at",
    checkpoint: "a project's checkpoints under one provider by created_at",
    restore: "a project's restores by created_at",
    verification: "a project's verifications by created_at",
  },
  GSI2: {
    plan: "a project's plans by updated_at",
    trigger: "every project's triggers by created_at (admin all_tenants; the local scheduler's rebuild)",
    scheduledOperation: "every project's scheduled operations by created_at (admin all_tenants)",
    operationLog: "every project's operation logs by started_at (admin all_tenants)",
    checkpoint: "a plan's checkpoints by created_at (plan filter, retention)",
    restore: "every project's restores by created_at (admin all_tenants)",
    verification: "every project's verifications by created_at (admin all_tenants)",
  },
  GSI3: {
    plan: "a project's plans by name",
    scheduledOperation: 'the operations bound to a trigger (fire-trigger)',
    checkpoint: "a provider's checkpoints of every project by created_at (admin all_tenants)",
  },
  GSI4: {
    plan: "a project's plans by status",
    checkpoint: 'every running job, sparse: only while protecting or deleting (the sweep that resumes lost jobs)',
    restore: 'every running job, sparse: only while in_progress (the sweep that resumes lost jobs)',
  },
  GSI5: { plan: "a project's plans by id" },
  GSI6: { plan: "every project's plans by created_at (admin all_tenants)" },
  GSI7: { plan: "every project's plans by updated_at (admin all_tenants)" },
  GSI8: { plan: "every project's plans by name (admin all_tenants)" },
  GSI9: { plan: "every project's plans by status (admin all_tenants)" },
  GSI10: { plan: "every project's plans by id (admin all_tenants)" },
};

const gsi = (name: string): IndexDefinition => ({
  indexName: name,
  partitionKey: { name: `${name}PK`, type: 'S' },
  sortKey: { name: `${name}SK`, type: 'S' },
});

export const TABLE: TableDefinition = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  globalIndexes: Object.keys(INDEX_MAP).map(gsi),
  ttlAttribute: 'expiresAt',
};

/** The CreateTable input (plain data, no SDK import) for DynamoDB Local and tests. */
export const createTableInput = (tableName: string, def: TableDefinition = TABLE) => {
  const attributes = new Map<string, KeyAttribute>();
  for (const k of [def.partitionKey, def.sortKey, ...def.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])]) {
    attributes.set(k.name, k);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: def.globalIndexes.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey.name, KeyType: 'HASH' as const },
        { AttributeName: i.sortKey.name, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
};
