/**
 * The trigger-schedule port: whatever makes time pass for a trigger (an
 * EventBridge rule, an EventBridge Scheduler schedule, the local scheduler).
 * Each adapter fires the fire-trigger function with a FireTriggerPayload.
 */

/** What the fire-trigger function receives (the rule target's input transformer output). */
export interface FireTriggerPayload {
  trigger_id: string;
  project_id: string;
  /** The event's scheduled time, ISO 8601 UTC (`2026-11-25T12:00:00Z`). */
  time: string;
}

/** One trigger's schedule, as the adapters need it. */
export interface TriggerSchedule {
  triggerId: string;
  projectId: string;
  /** EventBridge `cron(...)` expression (see shared/domain/eventbridge-cron.ts). */
  expression: string;
  /** The trigger's window in seconds (Scheduler: flexible time window). */
  windowSeconds: number;
  start: Date;
  end?: Date;
}

export interface TriggerScheduler {
  /** Creates or replaces the schedule of a trigger. */
  put(schedule: TriggerSchedule): Promise<void>;
  /** Removes the schedule of a trigger; removing an unknown one is not an error. */
  remove(triggerId: string): Promise<void>;
}

/** The name of a trigger's rule or schedule (the stack allows `karbor-trigger-*` to invoke fire-trigger). */
export const scheduleName = (triggerId: string): string => `karbor-trigger-${triggerId}`;
