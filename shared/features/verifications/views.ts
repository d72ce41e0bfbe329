import { effectiveStatus, progressOf, statusReason } from '../jobs/model';
import { type Verification, VERIFICATION_FAILURES } from './model';

/** Karbor's verification view; a verification past its deadline reads `fail`. */
export const verificationView = (v: Verification, now: string) => {
  const status = effectiveStatus(v, now, VERIFICATION_FAILURES) as Verification['status'];
  return {
    id: v.id,
    project_id: v.projectId,
    provider_id: v.providerId,
    checkpoint_id: v.checkpointId,
    parameters: v.parameters,
    status,
    resources_status: v.resourcesStatus,
    resources_reason: v.resourcesReason,
    status_reason: statusReason(v, status),
    progress: progressOf(v.resourcesStatus, null, !(status in VERIFICATION_FAILURES)),
  };
};
