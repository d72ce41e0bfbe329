import { effectiveStatus } from '../protection/job-state';
import { type Restore, RESTORE_FAILURES } from './model';

/** Karbor's restore view (docs/contract.md §8.1); restore_auth never appears. */
export const restoreView = (r: Restore, now: string) => ({
  id: r.id,
  project_id: r.projectId,
  provider_id: r.providerId,
  checkpoint_id: r.checkpointId,
  restore_target: r.restoreTarget,
  parameters: r.parameters,
  status: effectiveStatus(r, now, RESTORE_FAILURES),
  resources_status: r.resourcesStatus,
  resources_reason: r.resourcesReason,
});
