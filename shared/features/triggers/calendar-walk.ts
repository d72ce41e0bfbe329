import { RRule } from 'rrule';

type ParsedOptions = RRule['options'];

/**
 * Bounded expansion of calendar (RRULE) triggers. rrule walks from DTSTART
 * one period at a time and only checks UNTIL on an occurrence, so a sparse
 * or never-matching rule, a start_time years ago or time filters the
 * interval can never reach (`FREQ=HOURLY;INTERVAL=2;BYHOUR=3`: an endless
 * loop) hold the caller for seconds, hours or for ever. Here:
 * - WEEKLY to SECONDLY rules are expanded by this module, day by day (a day
 *   the day filters refuse costs one step, whatever the frequency), from the
 *   period holding `after` rather than from DTSTART (unless COUNT needs every
 *   occurrence since), with a day's times computed once when the interval
 *   divides a day;
 * - MONTHLY and YEARLY rules use rrule, started at the period holding `after`;
 * - every walk has a work budget: running out is RuleTooCostlyError, never a hang.
 * All times are UTC milliseconds.
 */

/** The work a walk ran out of: a rule too costly to expand, not a wrong one. */
export class RuleTooCostlyError extends Error {
  override name = 'RuleTooCostlyError';
}

/** Steps one walk may take (a step: a day, a period or an occurrence looked at); some tens of milliseconds. */
export const WALK_BUDGET = 500_000;

/**
 * How far a walk looks for a next occurrence. Day patterns recur within 28
 * years (a leap day on a Monday) or, across a skipped leap year, 40; a rule
 * with nothing for 50 years counts as ended.
 */
const SEARCH_YEARS = 50;

const DAY_MS = 86_400_000;
const UNIT_MS: Partial<Record<number, number>> = {
  [RRule.WEEKLY]: 7 * DAY_MS,
  [RRule.DAILY]: DAY_MS,
  [RRule.HOURLY]: 3_600_000,
  [RRule.MINUTELY]: 60_000,
  [RRule.SECONDLY]: 1000,
};

export interface Budget {
  left: number;
}

export const newBudget = (steps = WALK_BUDGET): Budget => ({ left: steps });

const spend = (budget: Budget, steps: number): void => {
  budget.left -= steps;
  if (budget.left < 0) throw new RuleTooCostlyError('the rule needs too much work to expand');
};

const has = (values: readonly number[] | null | undefined, v: number) => !values || values.length === 0 || values.includes(v);

const dayStartOf = (t: number) => t - (((t % DAY_MS) + DAY_MS) % DAY_MS);

/** Whether a UTC day passes a parsed rule's day filters (BYMONTH, BYMONTHDAY, BYYEARDAY, BYDAY, BYWEEKNO unchecked). */
export const dayPasses = (day: number, o: ParsedOptions): boolean => {
  const d = new Date(day);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const date = d.getUTCDate();
  const monthDays = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const yearDays = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
  const yearDay = (day - Date.UTC(year, 0, 1)) / DAY_MS + 1;
  const monthDay =
    (o.bymonthday?.length ?? 0) + (o.bynmonthday?.length ?? 0) === 0 || o.bymonthday?.includes(date) || o.bynmonthday?.includes(date - monthDays - 1);
  // rrule counts Monday as 0; nth weekdays (MONTHLY/YEARLY only) pass on their weekday, a superset.
  const weekdays = [...(o.byweekday ?? []), ...(o.bynweekday ?? []).map(([w]) => w)];
  return (
    has(o.bymonth, month + 1) &&
    Boolean(monthDay) &&
    (!o.byyearday?.length || o.byyearday.some((y) => (y > 0 ? y : yearDays + y + 1) === yearDay)) &&
    has(weekdays, (d.getUTCDay() + 6) % 7)
  );
};

/** The first day at or after `from` (and not after `until`) that passes the day filters, within `days` days. */
export const firstDay = (o: ParsedOptions, from: number, days: number, until = Infinity): number | undefined => {
  const first = dayStartOf(from);
  for (let n = 0; n < days && first + n * DAY_MS <= until; n += 1) {
    if (dayPasses(first + n * DAY_MS, o)) return first + n * DAY_MS;
  }
  return undefined;
};

/** Sorted millisecond offsets of every BYHOUR x BYMINUTE x BYSECOND combination (rrule pins the absent ones from DTSTART). */
const timesOf = (hours: readonly number[], minutes: readonly number[], seconds: readonly number[]): number[] => {
  const out: number[] = [];
  for (const h of hours) for (const m of minutes) for (const s of seconds) out.push(((h * 60 + m) * 60 + s) * 1000);
  return [...new Set(out)].sort((a, b) => a - b);
};

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The smallest gap between two times every emitting period holds in full:
 * with no BYSETPOS, a day of a DAILY (or coarser) rule has all of its
 * BYHOUR x BYMINUTE x BYSECOND times, an hour of an HOURLY rule all of its
 * minutes and seconds, a minute of a MINUTELY rule all of its seconds.
 * Also two adjacent sub-daily periods that both occur (consecutivePeriodsMs).
 * Infinity when there is nothing to tell without expanding.
 */
export const periodGapMs = (o: ParsedOptions): number => {
  if (o.bysetpos?.length) return Infinity;
  if (o.freq === RRule.SECONDLY) return consecutivePeriodsMs(o);
  const times =
    o.freq <= RRule.DAILY
      ? timesOf(o.byhour ?? [0], o.byminute ?? [0], o.bysecond ?? [0])
      : o.freq === RRule.HOURLY
        ? timesOf([0], o.byminute ?? [0], o.bysecond ?? [0])
        : timesOf([0], [0], o.bysecond ?? [0]);
  let min = Infinity;
  for (let i = 1; i < times.length; i += 1) min = Math.min(min, times[i] - times[i - 1]);
  return Math.min(min, consecutivePeriodsMs(o));
};

/**
 * A sub-daily rule whose interval divides a day has the same periods every
 * day: when two adjacent ones both pass the time filters, occurrences come
 * at most one interval apart. Infinity otherwise.
 */
const consecutivePeriodsMs = (o: ParsedOptions): number => {
  const step = UNIT_MS[o.freq]! * o.interval;
  if (o.freq < RRule.HOURLY || DAY_MS % step !== 0) return Infinity;
  const passes = (inDay: number) =>
    has(o.byhour, Math.floor(inDay / 3_600_000)) &&
    (o.freq < RRule.MINUTELY || has(o.byminute, Math.floor(inDay / 60_000) % 60)) &&
    (o.freq < RRule.SECONDLY || has(o.bysecond, Math.floor(inDay / 1000) % 60));
  const origin = originOf(o);
  for (let p = origin - dayStartOf(origin) - Math.floor((origin - dayStartOf(origin)) / step) * step; p + step < DAY_MS; p += step) {
    if (passes(p) && passes(p + step)) return step;
  }
  return Infinity;
};

/**
 * An upper bound on one period's set size (WEEKLY and coarser): BYSETPOS
 * positions all beyond it select nothing, ever, and rrule would walk to the
 * year 9999 looking.
 */
export const setPosReachable = (o: ParsedOptions): boolean => {
  if (!o.bysetpos?.length || o.freq > RRule.WEEKLY) return true;
  const days = [o.freq === RRule.YEARLY ? 366 : o.freq === RRule.MONTHLY ? 31 : 7];
  const monthDays = (o.bymonthday?.length ?? 0) + (o.bynmonthday?.length ?? 0);
  if (monthDays > 0) days.push(monthDays * (o.freq === RRule.YEARLY ? 12 : 1));
  if (o.byyearday?.length) days.push(o.byyearday.length);
  if (o.byweekday?.length && !o.bynweekday?.length) days.push(o.byweekday.length * (o.freq === RRule.YEARLY ? 53 : o.freq === RRule.MONTHLY ? 5 : 1));
  const size = Math.min(...days) * timesOf(o.byhour ?? [0], o.byminute ?? [0], o.bysecond ?? [0]).length;
  return o.bysetpos.some((p) => Math.abs(p) <= size);
};

/** BYSETPOS over one period's sorted set (positions from 1, or from the end when negative). */
const setPos = (set: number[], positions: readonly number[] | null): number[] => {
  if (!positions?.length) return set;
  const picked = positions.map((p) => (p > 0 ? set[p - 1] : set[set.length + p])).filter((t) => t !== undefined);
  return [...new Set(picked)].sort((a, b) => a - b);
};

/** The first period's start: DTSTART truncated to the frequency's unit (weeks start on WKST). */
const originOf = (o: ParsedOptions): number => {
  const start = o.dtstart.getTime();
  const unit = UNIT_MS[o.freq]!;
  if (o.freq !== RRule.WEEKLY) return start - (((start % unit) + unit) % unit);
  const day = dayStartOf(start);
  return day - ((((o.dtstart.getUTCDay() + 6) % 7) - (o.wkst ?? 0) + 7) % 7) * DAY_MS;
};

/** The occurrence set of the period starting at `p`, before DTSTART/UNTIL/COUNT. */
const periodSet = (o: ParsedOptions, p: number, budget: Budget): number[] => {
  const inDay = p - dayStartOf(p);
  const hour = Math.floor(inDay / 3_600_000);
  const minute = Math.floor(inDay / 60_000) % 60;
  switch (o.freq) {
    case RRule.WEEKLY:
    case RRule.DAILY: {
      const times = timesOf(o.byhour ?? [0], o.byminute ?? [0], o.bysecond ?? [0]);
      const set: number[] = [];
      for (let day = 0; day < (o.freq === RRule.WEEKLY ? 7 : 1); day += 1) {
        spend(budget, 1);
        if (dayPasses(p + day * DAY_MS, o)) for (const t of times) set.push(p + day * DAY_MS + t);
      }
      spend(budget, set.length);
      return setPos(set, o.bysetpos);
    }
    case RRule.HOURLY: {
      if (!has(o.byhour, hour)) return [];
      const times = timesOf([0], o.byminute ?? [0], o.bysecond ?? [0]);
      spend(budget, times.length);
      return setPos(
        times.map((t) => p + t),
        o.bysetpos,
      );
    }
    case RRule.MINUTELY: {
      if (!has(o.byhour, hour) || !has(o.byminute, minute)) return [];
      const seconds = o.bysecond?.length ? o.bysecond : all(1);
      return setPos(
        [...new Set(seconds)].sort((a, b) => a - b).map((s) => p + s * 1000),
        o.bysetpos,
      );
    }
    default:
      return has(o.byhour, hour) && has(o.byminute, minute) && has(o.bysecond, Math.floor(inDay / 1000) % 60) ? setPos([p], o.bysetpos) : [];
  }
};

/** A sub-daily rule's occurrences on a day that passes its day filters, from every period starting that day. */
const dayTimes = (o: ParsedOptions, day: number, origin: number, step: number, budget: Budget): number[] => {
  const out: number[] = [];
  for (let p = origin + Math.ceil((day - origin) / step) * step; p < day + DAY_MS; p += step) {
    spend(budget, 1);
    out.push(...periodSet(o, p, budget));
  }
  return out;
};

/** Sub-daily walk, one day at a time; `emit` returns false to stop. */
const walkSubDaily = (o: ParsedOptions, from: number, end: number, emit: (t: number) => boolean, budget: Budget): void => {
  const origin = originOf(o);
  const step = UNIT_MS[o.freq]! * o.interval;
  // When the interval divides a day, every day that passes its filters has the same times of day.
  let pattern: number[] | undefined;
  for (let day = dayStartOf(from); day <= end; day += DAY_MS) {
    spend(budget, 1);
    // A day on which no period starts (INTERVAL beyond a day): on to the day of the next one.
    const next = origin + Math.ceil((day - origin) / step) * step;
    if (next >= day + DAY_MS) {
      day = dayStartOf(next) - DAY_MS;
      continue;
    }
    if (!dayPasses(day, o)) continue;
    let times: number[];
    if (DAY_MS % step === 0) {
      pattern ??= dayTimes(o, day, origin, step, budget).map((t) => t - day);
      // The same times every day, and none today: none ever.
      if (pattern.length === 0) return;
      times = pattern.map((t) => t + day);
      spend(budget, times.length);
    } else {
      times = dayTimes(o, day, origin, step, budget);
    }
    for (const t of times) if (!emit(t)) return;
  }
};

/** WEEKLY and DAILY walk, one period at a time. */
const walkDays = (o: ParsedOptions, from: number, end: number, emit: (t: number) => boolean, budget: Budget): void => {
  const origin = originOf(o);
  const step = UNIT_MS[o.freq]! * o.interval;
  for (let p = origin + Math.max(0, Math.floor((from - origin) / step)) * step; p <= end; p += step) {
    spend(budget, 1);
    for (const t of periodSet(o, p, budget)) if (!emit(t)) return;
  }
};

/** A MONTHLY or YEARLY rule restarted at the period holding `from` (the same occurrences from there on): rrule then walks from near `from`. */
const restartedNear = (rule: RRule, from: number): RRule => {
  const o = rule.options;
  const start = o.dtstart;
  const at = new Date(from);
  const months = (at.getUTCFullYear() - start.getUTCFullYear()) * 12 + at.getUTCMonth() - start.getUTCMonth();
  const periods = o.freq === RRule.MONTHLY ? Math.floor(months / o.interval) : Math.floor((at.getUTCFullYear() - start.getUTCFullYear()) / o.interval);
  if (periods <= 0) return rule;
  const dtstart =
    o.freq === RRule.MONTHLY
      ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + periods * o.interval, 1))
      : new Date(Date.UTC(start.getUTCFullYear() + periods * o.interval, 0, 1));
  const orig = rule.origOptions;
  // What rrule would otherwise take from the new DTSTART stays the original's.
  const noDayPart = !orig.byweekno && !orig.byyearday && !orig.bymonthday && !orig.byweekday && !orig.byeaster;
  return new RRule({
    ...orig,
    dtstart,
    tzid: null,
    byhour: o.byhour,
    byminute: o.byminute,
    bysecond: o.bysecond,
    bymonth: o.bymonth,
    ...(noDayPart ? { bymonthday: o.bymonthday } : {}),
  });
};

/**
 * Calls `visit` with each occurrence strictly after `after` and not after
 * `until`, in order, until it returns false; throws RuleTooCostlyError when
 * the budget runs out first.
 */
export const walkCalendar = (rule: RRule, after: number, until: number, visit: (t: number) => boolean, budget = newBudget()): void => {
  const o = rule.options;
  const dtstart = o.dtstart.getTime();
  const end = Math.min(until, o.until ? o.until.getTime() : Infinity, after + SEARCH_YEARS * 366 * DAY_MS);
  if (o.freq <= RRule.MONTHLY) {
    const walked = o.count !== null ? rule : restartedNear(rule, Math.max(after, dtstart));
    let left = o.count ?? Infinity;
    // COUNT counts from DTSTART: then every occurrence is walked, and budgeted.
    walked.all((d) => {
      spend(budget, 1);
      left -= 1;
      const t = d.getTime();
      if (t > end) return false;
      return (t <= after || visit(t)) && left > 0;
    });
    return;
  }
  let left = o.count ?? Infinity;
  const emit = (t: number): boolean => {
    if (t < dtstart) return true;
    if (t > end) return false;
    left -= 1;
    if (t > after && !visit(t)) return false;
    return left > 0;
  };
  const from = o.count !== null ? dtstart : Math.max(after, dtstart);
  if (o.freq >= RRule.HOURLY) walkSubDaily(o, from, end, emit, budget);
  else walkDays(o, from, end, emit, budget);
};
