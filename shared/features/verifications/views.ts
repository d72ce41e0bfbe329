import { progressOf, statusReason } from '../jobs/model';
import type { Verification } from './model';

export const verificationView = (v: Verification) => ({
  id: v.id,
  project_id: v.projectId,
  provider_id: v.providerId,
  checkpoint_id: v.checkpointId,
  parameters: v.parameters,
  status: v.status,
  resources_status: v.resourcesStatus,
  resources_reason: v.resourcesReason,
  status_reason: statusReason(v, v.status),
  progress: progressOf(v.resourcesStatus, null, v.status !== 'in_progress'),
});
