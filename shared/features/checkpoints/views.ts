import { effectiveStatus } from '../protection/job-state';
import { pyJson } from '../../kernel/karbor-text';
import { type Checkpoint, CHECKPOINT_FAILURES } from './model';

/** The checkpoint view (docs/contract.md §5.4): key order as Karbor's. */
export const checkpointView = (c: Checkpoint, now: string) => ({
  id: c.id,
  project_id: c.projectId,
  status: effectiveStatus(c, now, CHECKPOINT_FAILURES),
  protection_plan: c.protectionPlan,
  resource_graph: c.resourceGraph,
  created_at: c.createdAt.slice(0, 10),
  extra_info: pyJson(c.extraInfo),
});

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
