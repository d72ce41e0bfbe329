import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DayCounters, DayProjects, OverviewCounters, OverviewScope } from './model';
import { ALL_SCOPE, BANK_PREFIX, COUNTER_PREFIX, DAY_PROJECTS, projectScope } from './transact';

type Item = Record<string, unknown>;

const scopeKey = (scope: OverviewScope): string => (scope.kind === 'all' ? ALL_SCOPE : projectScope(scope.projectId));

/** Every item of one key range (a few hundred small items: one page, but a page boundary must not drop any). */
const queryAll = async (doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> => {
  const items: Item[] = [];
  let after: Item | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ...(after ? { ExclusiveStartKey: after } : {}) }));
    items.push(...(page.Items ?? []));
    after = page.LastEvaluatedKey;
  } while (after);
  return items;
};

/**
 * The overview's reads (docs/decisions.md §23), on the items ./transact.ts writes:
 * - the days: one Query, PK = the scope, SK BETWEEN JOB_COUNT#<first day> AND JOB_COUNT#<last day>#~
 *   (30 days of SHARDS items at most), shards summed here;
 * - the bank's size: one Query, SK begins_with BANK_BYTES# (SHARDS items).
 */
const dayItems = (doc: DynamoDBDocumentClient, table: string, scope: OverviewScope, fromDay: string, toDay: string, projection?: string) =>
  queryAll(doc, {
    TableName: table,
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': scopeKey(scope), ':from': `${COUNTER_PREFIX}${fromDay}`, ':to': `${COUNTER_PREFIX}${toDay}#~` },
    ...(projection ? { ProjectionExpression: projection } : {}),
  });

/** The projects of some days: the all-projects counters' `projects` sets, one Query (docs/decisions.md §22). */
export const dynamoDayProjects = (doc: DynamoDBDocumentClient, table: string): DayProjects => ({
  async projectsOn(fromDay, toDay) {
    const items = await dayItems(doc, table, { kind: 'all' }, fromDay, toDay, DAY_PROJECTS);
    return [...new Set(items.flatMap((i) => [...((i[DAY_PROJECTS] as Set<string> | undefined) ?? [])]))].sort();
  },
});

export const dynamoOverviewCounters = (doc: DynamoDBDocumentClient, table: string): OverviewCounters => ({
  async days(scope, fromDay, toDay) {
    const items = await dayItems(doc, table, scope, fromDay, toDay);
    const byDay = new Map<string, DayCounters>();
    for (const item of items) {
      const day = String(item.SK).slice(COUNTER_PREFIX.length, COUNTER_PREFIX.length + 10);
      const sum = byDay.get(day) ?? { day, counts: {} };
      for (const [k, v] of Object.entries(item)) if (typeof v === 'number' && /^[a-z0-9]+_(success|error)$/.test(k)) sum.counts[k] = (sum.counts[k] ?? 0) + v;
      byDay.set(day, sum);
    }
    return [...byDay.values()];
  },
  async bankBytes(scope) {
    const items = await queryAll(doc, {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :bank)',
      ExpressionAttributeValues: { ':pk': scopeKey(scope), ':bank': BANK_PREFIX },
    });
    return items.length === 0
      ? null
      : Math.max(
          0,
          items.reduce((n, i) => n + Number(i.bytes ?? 0), 0),
        );
  },
});
