import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import type { Identity } from '../../kernel/identity';
import { effectiveStatus } from '../jobs/model';
import { lazily } from '../../kernel/lazy';
import type { PlanLookup } from '../plans/model';
import { eventPublisher } from '../../events/publisher';
import { providerCatalog } from '../providers/deps';
import { destinationCatalog } from '../destinations/deps';
import { dynamoCheckpointStore, newestGoodCheckpoint, toCheckpointItem } from './store';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CHECKPOINT_FAILURES, type CheckpointDeps, type CheckpointRepository, lockedReason, type ProtectionService } from './model';
import { createCheckpoint, deleteCheckpoint, planCheckpoints } from './use-cases';
import { jsonLog } from '../../observability/log';

/**
 * The composition root of the checkpoint functions, built once per runtime
 * (shared/runtime-host.ts `perRuntime`, in the handler).
 */

/** The checkpoint store (restores, verifications and the worker read and update checkpoints through it). */
export const checkpointStore = (): CheckpointRepository => dynamoCheckpointStore(documentClient(), tableName());

/** A plan's newest good checkpoint on this table (the compliance backfill, docs/decisions.md §20): a bounded newest-first Query. */
export const newestGoodCheckpointOn =
  (doc: DynamoDBDocumentClient, table: string) =>
  (planId: string, projectId: string): Promise<{ id: string; at: string } | undefined> =>
    newestGoodCheckpoint(doc, table, planId, projectId);

/**
 * What only a create reads, the plan and the quota limit, loads with the
 * first create: the worker, restores and verifications build checkpoint
 * stores through this file and never reach plans or quotas (issue 20's
 * import closures, BENCHMARKS.md section 5). The quota setting is checked
 * now, so a bad value still stops the function as it starts.
 */
const createPorts = (): Pick<CheckpointDeps, 'plans' | 'quota'> => {
  config.quotaCheckpoints();
  const plans = lazily(async () => (await import('../plans/deps')).planLookups());
  // The effective limit: the project's override, else the `default` class, else KARBOR_QUOTA_CHECKPOINTS.
  const quota = lazily(async () => {
    const { quotaDeps, quotaLimits } = await import('../quotas/deps');
    return quotaLimits(quotaDeps());
  });
  const lookup: PlanLookup = { getPlan: async (projectId, planId) => (await plans()).getPlan(projectId, planId) };
  return { plans: lookup, quota: { checkpointLimit: async (projectId) => (await quota()).checkpointLimit(projectId) } };
};

export const checkpointDeps = (): CheckpointDeps => {
  return {
    checkpoints: checkpointStore(),
    ...createPorts(),
    providers: providerCatalog(),
    destinations: destinationCatalog(),
    events: eventPublisher(),
    clock: systemClock,
    ids: randomIds,
    log: jsonLog,
    deadlineSeconds: config.jobDeadlineSeconds(),
  };
};

/**
 * The ProtectionService port (./model.ts) over the checkpoint use cases: what
 * the scheduler's protect and retention runs call (operation-engine/deps.ts).
 */
export const protectionServiceOver = (deps: CheckpointDeps): ProtectionService => ({
  async protect(req) {
    const checkpoint = await createCheckpoint(deps, req.projectId, req.providerId, { planId: req.planId, extraInfo: req.extraInfo });
    return { checkpointId: checkpoint.id };
  },
  async listCheckpoints(req) {
    const now = deps.clock.now().toISOString();
    const items = await planCheckpoints(deps, req);
    return items.map((c) => ({
      id: c.id,
      status: effectiveStatus(c, now, CHECKPOINT_FAILURES),
      createdAt: c.createdAt,
      ...(lockedReason(c, now) ? { locked: true } : {}),
      ...(c.bankBytes === undefined ? {} : { bankBytes: c.bankBytes }),
    }));
  },
  async deleteCheckpoint(req) {
    // The scheduler acts as a member of the checkpoint's project.
    const identity: Identity = { userId: 'operation-engine', projectId: req.projectId, roles: [], isAdmin: false };
    await deleteCheckpoint(deps, identity, req.providerId, req.checkpointId);
  },
});

/**
 * The real ProtectionService for the scheduler (fire-trigger): checkpoints on
 * the table, work requests on the karbor bus (or the local bus). Build it once
 * at module scope.
 */
export const protectionService = (): ProtectionService => protectionServiceOver(checkpointDeps());

/** A checkpoint's item as stored, for the catalog import (shared/features/catalog/store.ts, docs/decisions.md §26). */
export const checkpointItem = toCheckpointItem;
