import { hostPart } from '../../../runtime-host';
import type { TriggerSchedule, TriggerScheduler } from '../model';

/**
 * The local adapter of the trigger-schedule port (KARBOR_SCHEDULER=local, set
 * by the local runtime). The local scheduler (infra/local/scheduler.ts) owns
 * the registry of rules and fires them; it hands the registry to the handlers
 * as a part of its runtime's host (shared/runtime-host.ts), under this key.
 */
export interface LocalScheduleRegistry {
  put(schedule: TriggerSchedule): void;
  remove(triggerId: string): void;
}

export const LOCAL_SCHEDULES_PART = 'localSchedules';

export const localScheduleRegistry = (): LocalScheduleRegistry | undefined => hostPart<LocalScheduleRegistry>(LOCAL_SCHEDULES_PART);

/** Without a running local scheduler (a bare test server), schedules are accepted and dropped. */
export const localSchedules = (): TriggerScheduler => ({
  async put(schedule) {
    localScheduleRegistry()?.put(schedule);
  },
  async remove(triggerId) {
    localScheduleRegistry()?.remove(triggerId);
  },
});
