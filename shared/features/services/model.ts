/**
 * Karbor's services rows (docs/contract.md §10.4). There are no daemons here: one
 * synthetic row per part of the system, refreshed (report_count, updated_at)
 * whenever that part runs: the API on every service update, the operation
 * engine on every fire-trigger run, the protection worker on every job, and
 * both on a heartbeat every minute while idle (AWS: a scheduled rule invokes
 * fire-trigger with HEARTBEAT_EVENT and the heartbeat function, which reports
 * the durable worker's row, so no heartbeat starts a durable execution;
 * locally the runtime reports them).
 */
export const SERVICE_BINARIES = {
  protection: 'karbor-protection',
  operationEngine: 'karbor-operationengine',
  api: 'karbor-api',
} as const;

/** Fixed integer ids, in the order a real Karbor registers its services (recordings: 1 protection, 2 operation engine). */
export const SERVICE_IDS: Record<string, number> = {
  [SERVICE_BINARIES.protection]: 1,
  [SERVICE_BINARIES.operationEngine]: 2,
  [SERVICE_BINARIES.api]: 3,
};

/** How often an idle part reports. */
export const SERVICE_HEARTBEAT_SECONDS = 60;

/**
 * Karbor's `service_down_time`: a part is `down` once it has not reported for
 * this long, three missed heartbeats (Karbor's 60 s is six of its 10 s reports).
 */
export const SERVICE_DOWN_SECONDS = 3 * SERVICE_HEARTBEAT_SECONDS;

/**
 * What the heartbeat rule hands to fire-trigger (and the heartbeat function):
 * it reports its service row and does nothing else.
 */
export const HEARTBEAT_EVENT = { 'detail-type': 'Karbor Heartbeat', source: 'karbor.heartbeat', detail: {} } as const;

export type HeartbeatEvent = typeof HEARTBEAT_EVENT;

export const isHeartbeat = (event: unknown): event is HeartbeatEvent =>
  typeof event === 'object' && event !== null && (event as Record<string, unknown>)['detail-type'] === HEARTBEAT_EVENT['detail-type'];

export interface Service {
  id: number;
  binary: string;
  host: string;
  disabled: boolean;
  disabledReason: string | null;
  reportCount: number;
  /** ISO 8601, null until the part first reports. */
  updatedAt: string | null;
  createdAt: string | null;
}

export interface ServiceStore {
  /** Every row (missing rows are filled in with defaults by the caller). */
  list(): Promise<Service[]>;
  /** Heartbeat: report_count + 1, updated_at = now; creates the row when missing. */
  report(binary: string, host: string, now: Date): Promise<void>;
  /** Sets the disabled flag and reason (creates the row when missing). */
  /** `now`: when the row is created, if this is its first write. */
  setDisabled(binary: string, host: string, disabled: boolean, reason: string | null, now: Date): Promise<Service>;
}
