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

export type IndexName = 'GSI1' | 'GSI2' | 'GSI3' | 'GSI4';

/**
 * What each GSI holds, per item type: the one place that answers "what is on
 * GSI2?". Each entry is the list it serves (the store beside the item type
 * writes the keys and queries them; a test checks both agree). Every list is
 * a Query on one of these, never a Scan. Item types not named here (services,
 * quotas, quota usage, scheduled runs) are read by key only.
 *
 * Cost: every index projects ALL, so an item write also writes each of its
 * entries at the item's size (an update rewrites them; one that changes an
 * entry's key pays a delete and a put), and a transaction pays all of it
 * twice. So an item type gets as few entries as its lists need: a plan and a
 * scheduled operation have one (GSI1), and orders no index holds are sorted
 * in memory, bounded (shared/features/plans/store.ts, docs/decisions.md §16,
 * §17). Scheduled operations of schemaVersion 1 still hold a GSI3 entry
 * (OPERATIONS#TRIGGER#<trigger>) until scripts/migrate-operation-index.js
 * moves them; fire-trigger reads it meanwhile.
 */
export const INDEX_MAP: Record<IndexName, Partial<Record<IndexedEntity, string>>> = {
  GSI1: {
    plan: "every plan, a project's plans as one range by created_at (every list of plans: created_at in one project straight from it, other orders and all_tenants sorted in memory, bounded)",
    trigger: "a project's triggers by created_at",
    scheduledOperation:
      "every scheduled operation, a project's as one range by created_at (a project's created_at list straight from it; all_tenants and name/id orders sorted in memory, bounded)",
    operationLog: "a project's operation logs by started_at",
    checkpoint: "a project's checkpoints under one provider by created_at",
    restore: "a project's restores by created_at",
    verification: "a project's verifications by created_at",
  },
  GSI2: {
    trigger: "every project's triggers by created_at (admin all_tenants; the local scheduler's rebuild)",
    operationLog: "every project's operation logs by started_at (admin all_tenants)",
    checkpoint: "a plan's checkpoints by created_at (plan filter, retention)",
    restore: "every project's restores by created_at (admin all_tenants)",
    verification: "every project's verifications by created_at (admin all_tenants)",
  },
  GSI3: {
    checkpoint: "a provider's checkpoints of every project by created_at (admin all_tenants)",
  },
  GSI4: {
    checkpoint: 'every running job, sparse: only while protecting, deleting, wait_copying or copying (the sweep that resumes lost jobs)',
    restore: 'every running job, sparse: only while in_progress (the sweep that resumes lost jobs)',
    verification: 'every running job, sparse: only while in_progress (the sweep that resumes lost jobs)',
  },
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

/**
 * The plan-only indexes of the earlier design (five sort orders per project,
 * GSI1..GSI5, and again for all_tenants, GSI6..GSI10). Nothing writes them
 * now; a stack made before keeps some of them while it migrates
 * (infra/config.ts `legacyPlanIndexes`, docs/decisions.md §16).
 */
export const LEGACY_PLAN_INDEXES = ['GSI5', 'GSI6', 'GSI7', 'GSI8', 'GSI9', 'GSI10'] as const;

/** The table with the first `keep` legacy plan indexes still defined (0: the table as designed). */
export const tableKeeping = (keep: number): TableDefinition => ({
  ...TABLE,
  globalIndexes: [...TABLE.globalIndexes, ...LEGACY_PLAN_INDEXES.slice(0, keep).map(gsi)],
});

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
