import { effectiveStatus, progressOf, statusReason } from '../jobs/model';
import { type Restore, RESTORE_FAILURES } from './model';

/** Karbor's restore view (docs/contract.md §8.1), then why it failed and how far it got; restore_auth never appears. */
export const restoreView = (r: Restore, now: string) => {
  const status = effectiveStatus(r, now, RESTORE_FAILURES);
  return {
    id: r.id,
    project_id: r.projectId,
    provider_id: r.providerId,
    checkpoint_id: r.checkpointId,
    restore_target: r.restoreTarget,
    parameters: r.parameters,
    status,
    resources_status: r.resourcesStatus,
    resources_reason: r.resourcesReason,
    status_reason: statusReason(r, status),
    progress: progressOf(r.resourcesStatus, null, !(status in RESTORE_FAILURES)),
    // Extension (docs/decisions.md): what each resource was restored as; restore_target stays the caller's input.
    restored_as: r.resourcesMade ?? {},
  };
};
