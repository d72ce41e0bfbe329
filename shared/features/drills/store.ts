import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DrillGuardStore, DrillHolder } from './model';

/**
 * Drill guard items (docs/decisions.md §24), on no index:
 * - a plan's drill guard, the drill running for it:   GetItem PK=PLAN#<plan id> SK=DRILL
 * - the account's drill slots, KARBOR_DRILL_CONCURRENCY
 *   of them (more are left from a higher cap):         Query PK=DRILL_SLOTS (SK=SLOT#<n>)
 * Each holds the drill's verification id and when it was taken. Nothing
 * releases them: a seat is free once its verification has ended, so a drill
 * that crashes never keeps one. A plan's guard expires (TTL) a week after it
 * was taken, so a deleted plan leaves none for long.
 */
const GUARD_ENTITY = 'drillGuard';
const SLOT_ENTITY = 'drillSlot';
const SCHEMA_VERSION = 1;
const GUARD_RETENTION_SECONDS = 7 * 86400;
const SLOTS_PK = 'DRILL_SLOTS';

const guardKey = (planId: string) => ({ PK: `PLAN#${planId}`, SK: 'DRILL' });
const slotKey = (slot: number) => ({ PK: SLOTS_PK, SK: `SLOT#${slot}` });

const holderOf = (item: Record<string, unknown> | undefined): DrillHolder | undefined =>
  item ? { verificationId: item.verificationId as string, takenAt: item.takenAt as string } : undefined;

/** Only if the seat still holds what was read: nothing (never taken) or the drill seen. */
const unchanged = (seen: DrillHolder | undefined) =>
  seen
    ? { ConditionExpression: 'verificationId = :seen', ExpressionAttributeValues: { ':seen': seen.verificationId } }
    : { ConditionExpression: 'attribute_not_exists(PK)' };

export const dynamoDrillGuardStore = (doc: DynamoDBDocumentClient, table: string): DrillGuardStore => ({
  async read(planId) {
    const [guard, slots] = await Promise.all([
      doc.send(new GetCommand({ TableName: table, Key: guardKey(planId), ConsistentRead: true })),
      doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': SLOTS_PK },
          ConsistentRead: true,
        }),
      ),
    ]);
    return {
      plan: holderOf(guard.Item),
      slots: new Map((slots.Items ?? []).map((item) => [Number((item.SK as string).slice('SLOT#'.length)), holderOf(item)!] as const)),
    };
  },
  async take(planId, slot, seen, holder) {
    const plan = unchanged(seen.plan);
    const seat = unchanged(seen.slot);
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: {
                  ...guardKey(planId),
                  entity: GUARD_ENTITY,
                  schemaVersion: SCHEMA_VERSION,
                  ...holder,
                  expiresAt: Math.floor(Date.parse(holder.takenAt) / 1000) + GUARD_RETENTION_SECONDS,
                },
                // At most one drill per plan: a second occurrence that read the same guard loses here.
                ...plan,
              },
            },
            {
              Put: {
                TableName: table,
                Item: { ...slotKey(slot), entity: SLOT_ENTITY, schemaVersion: SCHEMA_VERSION, ...holder },
                // At most KARBOR_DRILL_CONCURRENCY drills: a drill of another plan that read the same slot loses here.
                ...seat,
              },
            },
          ],
        }),
      );
      return 'taken';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'plan-busy';
      if (error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') return 'slot-busy';
      throw error;
    }
  },
});
