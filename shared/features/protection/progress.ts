/** Resource statuses that end a resource's part in a job: it will not change again in this phase. */
const ENDED = new Set(['available', 'deleted', 'error', 'error-deleting', 'success', 'fail']);

export interface Progress {
  /** Resources the job covers, once known (a checkpoint's graph; null before it is built). */
  resources_total: number | null;
  /** Resources whose status has ended, done or failed. */
  resources_done: number;
  resources_failed: number;
  /** 0-100: done over total; 100 once the job itself has ended; null while the total is unknown. */
  percent: number | null;
}

/**
 * How far a job got, from its per-resource statuses (an extension field on
 * checkpoints, restores and verifications, like AWS Backup's PercentDone).
 */
export const progressOf = (statuses: Record<string, string>, total: number | null, jobEnded: boolean): Progress => {
  const values = Object.values(statuses);
  const done = values.filter((s) => ENDED.has(s)).length;
  const failed = values.filter((s) => s === 'error' || s === 'error-deleting' || s === 'fail').length;
  const known = total ?? (jobEnded ? done : null);
  const percent = jobEnded ? 100 : known === null || known === 0 ? null : Math.min(100, Math.floor((done * 100) / known));
  return { resources_total: known, resources_done: done, resources_failed: failed, percent };
};

/** Why a job failed: its recorded reason, or its deadline when only the deadline made it read as failed. */
export const statusReason = (job: { status: string; errorReason?: string }, shown: string): string | null =>
  job.errorReason ?? (shown !== job.status ? 'the job did not finish before its deadline' : null);
