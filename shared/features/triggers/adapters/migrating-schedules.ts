import type { TriggerSchedule, TriggerScheduler } from '../model';

/**
 * The trigger back end of a stack moving from rules to EventBridge Scheduler
 * (`karbor:scheduler=migrating`, docs/operations.md "From rules to Scheduler"):
 * a trigger's schedule is put first and its old rule removed after, so at every
 * moment one of the two fires it (a firing delivered by both runs once:
 * fire-trigger records each occurrence with a conditional put). A new trigger
 * therefore never gets a rule, and a removed one loses both. The migration
 * (`../migrate.ts`) puts every stored trigger through `put`, which leaves the
 * stack with no rule once it has run.
 */
export const migratingSchedules = (next: TriggerScheduler, previous: TriggerScheduler): TriggerScheduler => ({
  async put(schedule: TriggerSchedule) {
    await next.put(schedule);
    await previous.remove(schedule.triggerId);
  },
  async remove(triggerId: string) {
    await next.remove(triggerId);
    await previous.remove(triggerId);
  },
});
