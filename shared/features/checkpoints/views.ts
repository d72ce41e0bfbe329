import { effectiveStatus, packedGraphSize, progressOf, statusReason } from '../jobs/model';
import { pyJson } from '../../kernel/karbor-text';
import { activeLock, type Checkpoint, CHECKPOINT_FAILURES } from './model';
import type { CopyResult } from './use-cases';

/**
 * The checkpoint view (docs/contract.md §5.4): Karbor's keys in Karbor's
 * order, then ours: per-resource status and reason (as restores have),
 * why it failed, how far the job got, and its lock and legal hold
 * (docs/decisions.md §19).
 */
export const checkpointView = (c: Checkpoint, now: string) => {
  const status = effectiveStatus(c, now, CHECKPOINT_FAILURES);
  return {
    id: c.id,
    project_id: c.projectId,
    status,
    protection_plan: c.protectionPlan,
    resource_graph: c.resourceGraph,
    created_at: c.createdAt.slice(0, 10),
    extra_info: pyJson(c.extraInfo),
    resources_status: c.resourcesStatus,
    resources_reason: c.resourcesReason,
    status_reason: statusReason(c, status),
    progress: progressOf(c.resourcesStatus, c.resourceGraph ? packedGraphSize(c.resourceGraph) : null, !(status in CHECKPOINT_FAILURES)),
    lock: activeLock(c, now) ?? null,
    legal_hold: c.legalHold === true,
  };
};

/** Karbor's create response: built from the request, without provider_id, graph or date. */
export const createdCheckpointView = (c: Checkpoint) => ({
  id: c.id,
  project_id: c.projectId,
  status: c.status,
  protection_plan: { id: c.protectionPlan.id, name: c.protectionPlan.name, resources: c.protectionPlan.resources },
  resource_graph: null,
  created_at: null,
  extra_info: pyJson(c.extraInfo),
});

/** Karbor's copy answer: the caller's project, the plan's provider, each source with its copy, the request's parameters. */
export const copyView = (r: CopyResult) => ({
  project_id: r.projectId,
  provider_id: r.providerId,
  plan_id: r.planId,
  checkpoint_id: r.pairs,
  parameters: r.parameters,
});
