/**
 * The single table: every seed table (plans, resources, triggers, scheduled
 * operations, restores, services, ...) is an item type here. The CDK stack and
 * the local runtime both create the table from this definition.
 *
 * Keys are generic and overloaded; each entity module (shared/store/<entity>.ts)
 * owns its key builders and writes its access patterns beside them. Rules:
 * - key prefixes are fixed upper case (`PROJECT#`, `PLAN#`); ids and names are
 *   stored unchanged, never lower-cased;
 * - every item has `entity` and `schemaVersion`;
 * - no request path uses Scan: every list is a Query with Limit.
 */

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
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

const gsi = (n: number): IndexDefinition => ({
  indexName: `GSI${n}`,
  partitionKey: { name: `GSI${n}PK`, type: 'S' },
  sortKey: { name: `GSI${n}SK`, type: 'S' },
});

export const TABLE: TableDefinition = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  // GSI5..GSI10: plans sort by five keys, per project and across projects (shared/store/plans.ts); overloadable like 1..4.
  globalIndexes: [gsi(1), gsi(2), gsi(3), gsi(4), gsi(5), gsi(6), gsi(7), gsi(8), gsi(9), gsi(10)],
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
