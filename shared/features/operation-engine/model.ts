/**
 * The protection port the scheduler uses (the protection feature implements
 * it): start a checkpoint of a plan, list a plan's checkpoints, delete one.
 */
export interface CheckpointSummary {
  id: string;
  status: string;
  /** ISO 8601 creation time (full precision, for retention by age). */
  createdAt: string;
}

export interface ProtectionService {
  /** Starts a checkpoint of the plan (status `protecting`); the worker finishes it. */
  protect(req: {
    projectId: string;
    providerId: string;
    planId: string;
    /** e.g. `{created_by: 'operation-engine', trigger_id, scheduled_operation_id}` */
    extraInfo: Record<string, string>;
  }): Promise<{ checkpointId: string }>;
  /** The plan's checkpoints under this provider, newest first. */
  listCheckpoints(req: { projectId: string; providerId: string; planId: string }): Promise<CheckpointSummary[]>;
  /** Starts deleting a checkpoint (status `deleting`). */
  deleteCheckpoint(req: { projectId: string; providerId: string; checkpointId: string }): Promise<void>;
}
