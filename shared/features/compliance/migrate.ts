import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateScan, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { newestGoodCheckpointOn } from '../checkpoints/deps';
import { expectationSet, goodCheckpointSet } from '../plans/transact';
import { expectationFor } from '../scheduled-operations/model';
import { operationKey } from '../scheduled-operations/transact';
import { triggerCalendar, triggerStore } from '../triggers/deps';
import { triggerKey } from '../triggers/transact';

/** What the backfill read and wrote. */
export interface ComplianceBackfill {
  operations: number;
  expectations: number;
  plans: number;
  lastGood: number;
}

/**
 * The one-off backfill of plans' compliance items for what was made before
 * docs/decisions.md §20 (scripts/backfill-compliance.js), in the style of the
 * index migrations of §16-17: not a request path, so it may Scan (once, over
 * the table); idempotent and safe beside live traffic, since every write is
 * conditional on nothing newer being there.
 * 1. every scheduled operation without an expectation on its plan's item gets
 *    the one its trigger leads to from `now` (as its create would write now),
 *    in a transaction that checks the operation still exists and the trigger
 *    still has the properties read;
 * 2. every live plan without a last-good time gets its newest good
 *    checkpoint's (a bounded newest-first Query of its checkpoints), only
 *    while none is set.
 */
export const backfillCompliance = async (doc: DynamoDBDocumentClient, table: string, now: Date): Promise<ComplianceBackfill> => {
  const triggers = triggerStore(doc, table);
  const calendar = await triggerCalendar()();
  const newestGood = newestGoodCheckpointOn(doc, table);
  const done: ComplianceBackfill = { operations: 0, expectations: 0, plans: 0, lastGood: 0 };
  const scan = (entity: string, projection: string) =>
    paginateScan(
      { client: doc },
      {
        TableName: table,
        FilterExpression: '#entity = :entity',
        ProjectionExpression: projection,
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':entity': entity },
      },
    );
  /** One transaction; a cancelled one (something newer is there, or it is gone) is skipped. */
  const write = async (items: unknown[]): Promise<boolean> => {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items as never }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  };
  for await (const page of scan('scheduledOperation', 'id, operationType, triggerId, operationDefinition')) {
    for (const op of page.Items ?? []) {
      done.operations += 1;
      const planId = String((op.operationDefinition as Record<string, unknown> | undefined)?.plan_id);
      const trigger = await triggers.get(String(op.triggerId));
      if (!trigger) continue;
      const e = expectationFor({ id: String(op.id), operationType: String(op.operationType) }, trigger.id, calendar.expectedGap(trigger, now));
      if (!e) continue;
      const wrote = await write([
        { ConditionCheck: { TableName: table, Key: operationKey(e.operationId), ConditionExpression: 'attribute_exists(PK)' } },
        {
          ConditionCheck: {
            TableName: table,
            Key: triggerKey(trigger.id),
            // The properties read: an update meanwhile wrote its own expectations.
            ConditionExpression: 'scheduledFrom = :from OR attribute_not_exists(scheduledFrom)',
            ExpressionAttributeValues: { ':from': trigger.scheduledFrom },
          },
        },
        // Only where none is stored: its create (or a trigger update) wrote a newer one.
        { Update: { ...expectationSet(table, planId, e).Update, ConditionExpression: 'attribute_not_exists(#e)' } },
      ]);
      if (wrote) done.expectations += 1;
    }
  }
  for await (const page of scan('plan', 'id, project_id, deleted')) {
    for (const plan of page.Items ?? []) {
      if (plan.deleted !== false) continue;
      done.plans += 1;
      const good = await newestGood(String(plan.id), String(plan.project_id));
      if (!good) continue;
      const set = goodCheckpointSet(table, String(plan.id), good.id, good.at).Update;
      // Only while none is set: a protect that ended meanwhile stays.
      if (await write([{ Update: { ...set, ConditionExpression: 'attribute_not_exists(lastGoodAt)' } }])) done.lastGood += 1;
    }
  }
  return done;
};
