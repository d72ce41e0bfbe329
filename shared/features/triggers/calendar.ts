import { toEventBridgeCron } from './eventbridge-cron';
import { nextOccurrence, scheduleOf as scheduleOfProperties, type TimeSchedule, type TriggerLimits, validateTriggerProperties } from './time-triggers';
import type { Trigger, TriggerCalendar, TriggerDeps, TriggerSchedule } from './model';
import { RuleTooCostlyError } from './calendar-walk';
import { expectedGap, nextRuns } from './next-runs';

/**
 * What needs the calendar libraries (rrule, cron-parser and its luxon, about
 * 150 KB): validating a trigger's properties, its schedule, its view's
 * next runs. Routes import it on first use through `loadCalendar`
 * (issue #15, cold start), so a trigger route's init does not compile them.
 */
export { formatKarborTime } from './time-triggers';
export { triggerView } from './views';

/** The adapters' schedule of a trigger whose properties gave `schedule`. */
const toTriggerSchedule = (t: Trigger, schedule: TimeSchedule): TriggerSchedule => ({
  triggerId: t.id,
  projectId: t.projectId,
  expression: toEventBridgeCron(schedule).expression,
  windowSeconds: schedule.windowSeconds,
  start: schedule.start,
  end: schedule.end,
});

/** The schedule of a trigger being written: its properties pass the create-time checks (400 otherwise). */
export const validatedSchedule = (t: Trigger, deps: Pick<TriggerDeps, 'limits' | 'clock'>): TriggerSchedule =>
  toTriggerSchedule(t, validateTriggerProperties(t.properties, deps.limits, deps.clock.now()));

/**
 * The schedule of a stored trigger without the create-time checks (the local
 * scheduler's rebuild at start); undefined when its properties no longer parse.
 */
export const storedTriggerSchedule = (t: Trigger, limits: TriggerLimits): TriggerSchedule | undefined => {
  try {
    return toTriggerSchedule(t, scheduleOfProperties(t.properties, limits));
  } catch {
    return undefined;
  }
};

/** The TriggerCalendar port (./model.ts) other features use, through ./deps.ts triggerCalendar. */
export const calendarRules: TriggerCalendar = {
  scheduleOf: scheduleOfProperties,
  nextOccurrence,
  storedSchedule: storedTriggerSchedule,
  isTooCostly: (error) => error instanceof RuleTooCostlyError,
  nextRuns,
  expectedGap,
};
