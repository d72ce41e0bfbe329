import { RRule } from 'rrule';
import type { Trigger } from './model';
import { DEFAULT_LIMITS, occurrences, scheduleOf, type TimeSchedule, type TriggerLimits } from './time-triggers';

/** How many upcoming runs a trigger view shows. */
export const NEXT_RUNS = 5;

/** How far ahead runs are looked for (five runs of a yearly rule). */
const HORIZON_MS = 6 * 366 * 24 * 3600 * 1000;

/** Stored properties were validated when written: any window is accepted here (it never moves an occurrence). */
const ANY_WINDOW: TriggerLimits = { minIntervalSeconds: 0, minWindowSeconds: 0, maxWindowSeconds: Number.MAX_SAFE_INTEGER };

/** Fixed period lengths of rrule's frequencies (YEARLY and MONTHLY have none). */
const PERIOD_MS: Partial<Record<number, number>> = {
  [RRule.WEEKLY]: 7 * 24 * 3600 * 1000,
  [RRule.DAILY]: 24 * 3600 * 1000,
  [RRule.HOURLY]: 3600 * 1000,
  [RRule.MINUTELY]: 60 * 1000,
  [RRule.SECONDLY]: 1000,
};

/**
 * Bounded work for calendar rules: rrule walks every period from DTSTART, so
 * an hourly rule started ten years ago costs seconds per call. Without COUNT,
 * a rule with a fixed period yields the same occurrences from DTSTART moved
 * forward by whole multiples of INTERVAL periods (its defaults, taken from
 * DTSTART's time of day and weekday, stay the same), so it starts one period
 * before `after` instead.
 */
const fromNear = (schedule: TimeSchedule, after: Date): TimeSchedule => {
  const rule = schedule.rrule;
  if (!rule || rule.origOptions.count) return schedule;
  const period = PERIOD_MS[rule.options.freq];
  if (!period) return schedule;
  const step = period * (rule.options.interval || 1);
  const steps = Math.floor((after.getTime() - schedule.start.getTime()) / step) - 1;
  if (steps <= 0) return schedule;
  const dtstart = new Date(schedule.start.getTime() + steps * step);
  return { ...schedule, start: dtstart, rrule: new RRule({ ...rule.origOptions, dtstart, tzid: null }) };
};

/**
 * The next runs of a trigger (at most `count`), strictly after `now` and
 * never before its schedule took effect, within start_time and end_time;
 * [] once it has ended or when its properties no longer parse.
 */
export const nextRuns = (t: Trigger, now: Date, count = NEXT_RUNS): Date[] => {
  let schedule: TimeSchedule;
  try {
    schedule = scheduleOf(t.properties, ANY_WINDOW);
  } catch {
    return [];
  }
  // Occurrences before scheduledFrom never fire (fire-trigger's `before-schedule`).
  const after = new Date(Math.max(now.getTime(), Date.parse(t.scheduledFrom) - 1));
  return occurrences(fromNear(schedule, after), after, new Date(after.getTime() + HORIZON_MS), count);
};

/** How many occurrences the longest gap is measured over (1,000 hourly runs: 41 days; daily: almost three years). */
const GAP_OCCURRENCES = 1000;

/**
 * What a trigger leads its plans to expect (docs/decisions.md §20): the
 * longest gap between consecutive occurrences from `now` over the horizon
 * (six years, at most GAP_OCCURRENCES occurrences), so a weekday rule's
 * weekend or a rule sparse in some months never reads as a missed run, plus
 * the trigger's window (a run may start that late; Karbor's default 900 s
 * when it names none); its end_time; and when
 * the expectation starts (the first occurrence minus one gap, never before
 * `now`, so a plan is not late before its schedule could have run).
 * Undefined with fewer than two occurrences left (an end_time in the past, a
 * COUNT spent): such a trigger expects nothing any more.
 */
export const expectedGap = (t: Trigger, now: Date): { intervalSeconds: number; since: Date; until?: Date } | undefined => {
  let schedule: TimeSchedule;
  try {
    schedule = scheduleOf(t.properties, ANY_WINDOW);
  } catch {
    return undefined;
  }
  const after = new Date(Math.max(now.getTime(), Date.parse(t.scheduledFrom) - 1));
  const runs = occurrences(fromNear(schedule, after), after, new Date(after.getTime() + HORIZON_MS), GAP_OCCURRENCES);
  if (runs.length < 2) return undefined;
  let longest = 0;
  for (let i = 1; i < runs.length; i += 1) longest = Math.max(longest, runs[i].getTime() - runs[i - 1].getTime());
  const since = new Date(Math.max(now.getTime(), runs[0].getTime() - longest));
  // Without a window of its own, a run may start as late as Karbor's default window allows.
  const window = t.properties.window === undefined ? DEFAULT_LIMITS.minWindowSeconds : schedule.windowSeconds;
  return { intervalSeconds: Math.ceil(longest / 1000) + window, since, ...(schedule.end ? { until: schedule.end } : {}) };
};
