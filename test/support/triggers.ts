import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledOperation } from '../../shared/features/scheduled-operations/model';
import type { Trigger } from '../../shared/features/triggers/model';
import { planKey } from '../../shared/features/plans/transact';

/** The noop provider (shared/features/providers/config/noop.json). */
export const NOOP_PROVIDER = 'b766f37c-d011-4026-8228-28730d734a3f';

/** An hourly crontab trigger of `projectId`, not yet bound (fresh id, created now unless overridden). */
export const aTrigger = (projectId: string, overrides: Partial<Trigger> = {}): Trigger => {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    projectId,
    name: 't',
    type: 'time',
    properties: { format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00' },
    createdAt: now,
    scheduledFrom: now,
    operationCount: 0,
    ...overrides,
  };
};

/** An enabled `protect` operation of `projectId` on the trigger and plan, with the noop provider. */
export const anOperation = (projectId: string, triggerId: string, planId: string, overrides: Partial<ScheduledOperation> = {}): ScheduledOperation => ({
  id: randomUUID(),
  projectId,
  userId: 'admin',
  name: 'op',
  description: null,
  operationType: 'protect',
  triggerId,
  operationDefinition: { provider_id: NOOP_PROVIDER, plan_id: planId },
  enabled: true,
  createdAt: new Date().toISOString(),
  lastRun: null,
  ...overrides,
});

/** Stores a live plan of `projectId` as the plans feature does (only what the binding condition reads); returns its id. */
export const putLivePlan = async (doc: DynamoDBDocumentClient, table: string, projectId: string): Promise<string> => {
  const planId = randomUUID();
  await doc.send(new PutCommand({ TableName: table, Item: { ...planKey(planId), entity: 'plan', deleted: false, project_id: projectId } }));
  return planId;
};

/**
 * Lowers the engine's limits so a one-minute trigger is allowed, as a local
 * demo does; a wide window keeps a loaded test machine from dropping the run
 * as out of window. Call at the top of a test file, before any server starts.
 */
export const allowOneMinuteTriggers = (): void => {
  process.env.KARBOR_MIN_INTERVAL_SECONDS = '60';
  process.env.KARBOR_MIN_WINDOW_SECONDS = '20';
  process.env.KARBOR_MAX_WINDOW_SECONDS = '50';
};
