/**
 * Events on the karbor bus (source `karbor`). Work requests start the
 * protection worker; lifecycle events are for integrations. Every
 * checkpoint and restore state change is one of these.
 */
export const EVENT_SOURCE = 'karbor';

/** Work requests: the protection worker listens to these. */
export const WORK_EVENTS = {
  checkpointRequested: 'Checkpoint Requested',
  checkpointDeleteRequested: 'Checkpoint Delete Requested',
  restoreRequested: 'Restore Requested',
  checkpointCopyRequested: 'Checkpoint Copy Requested',
  verificationRequested: 'Verification Requested',
} as const;

/** A work request's detail-type. The protection worker maps each to its job and listens to them all (shared/workers.ts). */
export type WorkEvent = (typeof WORK_EVENTS)[keyof typeof WORK_EVENTS];
export const WORK_EVENT_TYPES: readonly WorkEvent[] = Object.values(WORK_EVENTS);

/** Lifecycle events: final and reset states, for integrations. */
export const LIFECYCLE_EVENTS = {
  checkpointAvailable: 'Checkpoint Available',
  checkpointError: 'Checkpoint Error',
  checkpointDeleted: 'Checkpoint Deleted',
  checkpointErrorDeleting: 'Checkpoint Error Deleting',
  checkpointStateReset: 'Checkpoint State Reset',
  restoreSucceeded: 'Restore Succeeded',
  restoreFailed: 'Restore Failed',
  verificationSucceeded: 'Verification Succeeded',
  verificationFailed: 'Verification Failed',
  /** A plan turned late (docs/decisions.md §20): the compliance evaluator sends it once per transition. */
  planLate: 'Plan Late',
  /** A late plan has a good checkpoint within its interval again, or expects nothing any more. */
  planRecovered: 'Plan Recovered',
} as const;
