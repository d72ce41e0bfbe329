import { storedTriggerSchedule } from './calendar';
import type { TriggerLimits, TriggerScheduler, TriggerStore } from './model';

const PAGE = 1000;

/**
 * The rules-to-Scheduler migration (docs/operations.md "Trigger back ends"):
 * puts a schedule for every stored trigger, page by page (GSI2, never a Scan).
 * Idempotent: `put` creates a schedule or replaces the one a previous run
 * made, so a run that stopped half-way is simply run again. A trigger whose
 * stored properties no longer parse gets none and is named in `unparsable`.
 */
export const migrateTriggersToScheduler = async (deps: {
  triggers: TriggerStore;
  limits: TriggerLimits;
  scheduler: TriggerScheduler;
}): Promise<{ stored: number; scheduled: number; unparsable: string[] }> => {
  let stored = 0;
  let scheduled = 0;
  const unparsable: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await deps.triggers.list({ limit: PAGE, marker, ascending: true });
    for (const trigger of page) {
      stored += 1;
      const schedule = storedTriggerSchedule(trigger, deps.limits);
      if (!schedule) {
        unparsable.push(trigger.id);
        continue;
      }
      await deps.scheduler.put(schedule);
      scheduled += 1;
    }
    if (page.length < PAGE) return { stored, scheduled, unparsable };
    marker = page[page.length - 1].id;
  }
};
