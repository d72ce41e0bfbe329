import type { TriggerSchedule, TriggerScheduler } from '../model';

/**
 * The local adapter of the trigger-schedule port (KARBOR_SCHEDULER=local, set
 * by the local runtime). Under `npm start` every handler is its own esbuild
 * bundle with its own copy of this module, so the registry of rules lives on
 * `globalThis` under a well-known symbol; the local scheduler
 * (infra/local/scheduler.ts) owns it and fires the rules.
 */
interface LocalScheduleRegistry {
  put(schedule: TriggerSchedule): void;
  remove(triggerId: string): void;
}

const REGISTRY = Symbol.for('karbor.localScheduleRegistry');

type WithRegistry = typeof globalThis & { [REGISTRY]?: LocalScheduleRegistry };

export const setLocalScheduleRegistry = (registry: LocalScheduleRegistry | undefined): void => {
  (globalThis as WithRegistry)[REGISTRY] = registry;
};

export const localScheduleRegistry = (): LocalScheduleRegistry | undefined => (globalThis as WithRegistry)[REGISTRY];

/** Without a running local scheduler (a bare test server), schedules are accepted and dropped. */
export const localSchedules = (): TriggerScheduler => ({
  async put(schedule) {
    localScheduleRegistry()?.put(schedule);
  },
  async remove(triggerId) {
    localScheduleRegistry()?.remove(triggerId);
  },
});
