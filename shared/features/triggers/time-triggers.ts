import { CronExpressionParser } from 'cron-parser';
import { RRule } from 'rrule';
import { InvalidInputError } from '../../kernel/errors';
import { type Budget, firstDay, newBudget, periodGapMs, RuleTooCostlyError, setPosReachable, walkCalendar } from './calendar-walk';

/**
 * Karbor's time trigger engine (karbor/services/operationengine/engine/triggers/timetrigger):
 * property validation and occurrence computation. All times are UTC.
 */

/** The operation engine's limits (Karbor's `min_interval`, `min_window_time`, `max_window_time`). */
export interface TriggerLimits {
  minIntervalSeconds: number;
  minWindowSeconds: number;
  maxWindowSeconds: number;
}

export const DEFAULT_LIMITS: TriggerLimits = { minIntervalSeconds: 3600, minWindowSeconds: 900, maxWindowSeconds: 1800 };

/** A trigger's stored properties: a map of strings, exactly the keys supplied plus the default start_time. */
export type TriggerProperties = Record<string, string>;

type TimeFormat = 'crontab' | 'calendar';

/** A parsed, validated time trigger: what the scheduler and the converter work from. */
export interface TimeSchedule {
  format: TimeFormat;
  pattern: string;
  start: Date;
  end?: Date;
  windowSeconds: number;
  /** crontab: the parsed fields; calendar: the RRULE options (dtstart = start). */
  cron?: CronFields;
  rrule?: RRule;
}

/** cron-parser's fields (seconds, minutes, ... as value lists). */
type CronFields = ReturnType<typeof CronExpressionParser.parse>['fields'];

/** How far ahead the minimum interval is checked (docs/decisions.md §4: the next year of occurrences). */
const INTERVAL_HORIZON_MS = 366 * 24 * 3600 * 1000;
const INTERVAL_MAX_OCCURRENCES = 10000;
/** Occurrences checked even beyond the horizon. */
const FIRST_OCCURRENCES = 100;

export { formatKarborTime } from '../../kernel/karbor-text';

/**
 * Parses a trigger time: Karbor's `%Y-%m-%d %H:%M:%S` (padding optional, UTC) or,
 * a deliberate extension (docs/decisions.md §4), ISO 8601 with `T` (UTC unless an offset is given).
 */
export const parseTriggerTime = (value: string): Date | undefined => {
  const karbor = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  const m = karbor ?? iso;
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  if (check.getUTCDate() !== d) return undefined;
  const zone = iso ? iso[7] : undefined;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return new Date(ms);
};

/** Karbor's `The trigger pattern(<p>) is invalid`. */
const invalidPattern = (pattern: string) => new InvalidInputError(`The trigger pattern(${pattern}) is invalid`);

/**
 * Parses a crontab pattern: 5 fields, or 6 with croniter's trailing seconds
 * field (cron-parser wants seconds first, so it is moved).
 */
const parseCrontab = (pattern: string): CronFields => {
  if (pattern.trim().length === 0) throw new InvalidInputError('The trigger pattern is None');
  const parts = pattern.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw invalidPattern(pattern);
  const expression = parts.length === 6 ? [parts[5], ...parts.slice(0, 5)].join(' ') : `0 ${parts.join(' ')}`;
  try {
    return CronExpressionParser.parse(expression, { tz: 'UTC' }).fields;
  } catch {
    throw invalidPattern(pattern);
  }
};

/**
 * Parses a calendar pattern: iCalendar text whose first VEVENT has an RRULE.
 * A pattern with a backslash is JSON-unescaped first, as Karbor does, so `\n`
 * written as two characters works. Any DTSTART in the pattern is ignored.
 */
const parseCalendar = (pattern: string, start: Date): RRule => {
  let text = pattern;
  if (text.includes('\\')) {
    try {
      text = JSON.parse(`"${text.replace(/"/g, '\\"')}"`) as string;
    } catch {
      throw invalidPattern(pattern);
    }
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0 || lines.some((l) => !/^[A-Za-z-]+[;:]/.test(l))) throw invalidPattern(pattern);
  const begin = lines.findIndex((l) => l.toUpperCase() === 'BEGIN:VEVENT');
  if (begin < 0) throw new InvalidInputError(`The trigger pattern(${pattern}) must include less than one VEVENT component`);
  const endAt = lines.findIndex((l, i) => i > begin && l.toUpperCase() === 'END:VEVENT');
  if (endAt < 0) throw invalidPattern(pattern);
  const rruleLine = lines.slice(begin + 1, endAt).find((l) => /^RRULE[:;]/i.test(l));
  if (!rruleLine) {
    throw new InvalidInputError(`The first VEVENT component of trigger pattern(${pattern}) must include less than one RRULE property`);
  }
  try {
    const options = RRule.parseString(rruleLine.replace(/^RRULE:/i, '').replace(/;+$/, ''));
    if (options.freq === undefined) throw new Error('FREQ is required');
    // RFC 5545: BYWEEKNO only with FREQ=YEARLY (elsewhere rrule would walk day by day to find its weeks).
    if (options.byweekno !== undefined && options.byweekno !== null && options.freq !== RRule.YEARLY) throw new Error('BYWEEKNO needs FREQ=YEARLY');
    const rule = new RRule({ ...options, dtstart: start, tzid: null });
    // Day filters that pass no day in five years (FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30) would be walked for ever.
    if (firstDay(rule.options, start.getTime(), DAY_HORIZON, rule.options.until?.getTime()) === undefined) {
      throw new InvalidInputError('The new trigger property is invalid, Can not find the first run time');
    }
    if (!setPosReachable(rule.options)) throw new InvalidInputError('The new trigger property is invalid, Can not find the first run time');
    // Evaluating once (bounded) surfaces option combinations rrule only rejects lazily; the other frequencies are expanded here.
    if (rule.options.freq <= RRule.MONTHLY) walkCalendar(rule, start.getTime() - 1, Infinity, () => false);
    return rule;
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    if (error instanceof RuleTooCostlyError) throw tooCostly(pattern);
    throw invalidPattern(pattern);
  }
};

/** A rule whose occurrences cost more than the walk budget to find: refused, as its validity cannot be shown. */
const tooCostly = (pattern: string) =>
  new InvalidInputError(`The trigger pattern(${pattern}) is refused: its occurrences take too much work to compute, so its interval cannot be checked`);

/** How many days ahead a rule must have a day passing its day filters. */
const DAY_HORIZON = 5 * 366;

/**
 * The next occurrence strictly after `after`, or undefined (Karbor's
 * `compute_next_time`); a calendar rule throws RuleTooCostlyError rather
 * than walk past its budget.
 */
export const nextOccurrence = (schedule: TimeSchedule, after: Date, budget: Budget = newBudget()): Date | undefined => {
  let next: Date | undefined;
  if (schedule.rrule) {
    walkCalendar(
      schedule.rrule,
      after.getTime(),
      schedule.end?.getTime() ?? Infinity,
      (t) => {
        next = new Date(t);
        return false;
      },
      budget,
    );
  } else {
    // crontab: first match strictly later than max(after, start).
    const from = after.getTime() >= schedule.start.getTime() ? after : schedule.start;
    const expr = CronExpressionParser.parse(cronText(schedule.cron!), { tz: 'UTC', currentDate: new Date(from.getTime()) });
    next = expr.hasNext() ? new Date(expr.next().getTime()) : undefined;
    if (next && next.getTime() <= from.getTime()) next = undefined;
  }
  if (next && schedule.end && next.getTime() > schedule.end.getTime()) return undefined;
  return next;
};

/** cron-parser text of one parsed field (`#n` kept: cron-parser holds it apart as nthDay). */
const fieldText = (f: CronFields['second' | 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek']): string => {
  if (f.isWildcard) return '*';
  const nth = (f as { nthDay?: number }).nthDay;
  if (nth && f.values.length === 1) return `${String(f.values[0])}#${nth}`;
  return f.values.join(',');
};

/** cron-parser text of parsed fields (6 fields, seconds first). */
const cronText = (fields: CronFields): string =>
  [fields.second, fields.minute, fields.hour, fields.dayOfMonth, fields.month, fields.dayOfWeek].map(fieldText).join(' ');

/** Occurrences strictly after `after`, up to `until` or `max` of them. */
export const occurrences = (schedule: TimeSchedule, after: Date, until: Date, max: number): Date[] => {
  const limit = schedule.end && schedule.end.getTime() < until.getTime() ? schedule.end : until;
  const out: Date[] = [];
  if (schedule.rrule) {
    walkCalendar(schedule.rrule, after.getTime(), limit.getTime(), (t) => {
      out.push(new Date(t));
      return out.length < max;
    });
    return out;
  }
  const from = after.getTime() >= schedule.start.getTime() ? after : schedule.start;
  const expr = CronExpressionParser.parse(cronText(schedule.cron!), { tz: 'UTC', currentDate: new Date(from.getTime()) });
  while (out.length < max && expr.hasNext()) {
    const next = new Date(expr.next().getTime());
    if (next.getTime() > limit.getTime()) break;
    if (next.getTime() > from.getTime()) out.push(next);
  }
  return out;
};

const parseWindow = (raw: string | undefined, limits: TriggerLimits): number => {
  if (raw === undefined) return limits.minWindowSeconds;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new InvalidInputError(`The trigger windows(${raw}) is not integer`);
  const w = Number(raw);
  if (w < limits.minWindowSeconds || w > limits.maxWindowSeconds) {
    throw new InvalidInputError(`The trigger windows ${raw} must be between ${limits.minWindowSeconds} and ${limits.maxWindowSeconds}`);
  }
  return w;
};

/**
 * Builds the schedule of stored (already validated) properties; also the
 * validation itself, in Karbor's order: format, pattern, start_time, end_time, window.
 */
export const scheduleOf = (props: TriggerProperties, limits: TriggerLimits): TimeSchedule => {
  const format = props.format;
  // Deliberate difference (docs/decisions.md §4): the trigger's own format decides the parser.
  if (format !== 'crontab' && format !== 'calendar') throw new InvalidInputError('Invalid trigger time format type');
  const pattern = props.pattern ?? '';
  if (format === 'crontab') parseCrontab(pattern);
  else if (pattern.trim().length === 0) throw new InvalidInputError('The trigger pattern is None');
  if (props.start_time === undefined || props.start_time === '') throw new InvalidInputError("The trigger's start time is unknown");
  const start = parseTriggerTime(props.start_time);
  if (!start) throw new InvalidInputError('The format of trigger start_time is not correct');
  let end: Date | undefined;
  if (props.end_time !== undefined && props.end_time !== '') {
    end = parseTriggerTime(props.end_time);
    if (!end) throw new InvalidInputError('The format of trigger end_time is not correct');
    if (end.getTime() <= start.getTime()) {
      throw new InvalidInputError(`The trigger's start time(${props.start_time}) is bigger than end time(${props.end_time})`);
    }
  }
  const windowSeconds = parseWindow(props.window, limits);
  return format === 'crontab'
    ? { format, pattern, start, end, windowSeconds, cron: parseCrontab(pattern) }
    : { format, pattern, start, end, windowSeconds, rrule: parseCalendar(pattern, start) };
};

/**
 * Validates trigger properties against the limits at `now`:
 * 1. the properties parse (scheduleOf);
 * 2. there is a future occurrence (docs/decisions.md §4: 400, synchronously);
 * 3. no two adjacent occurrences within the next year are closer than the
 *    minimum interval (Karbor checks only the first gap, in local time).
 */
export const validateTriggerProperties = (props: TriggerProperties, limits: TriggerLimits, now: Date): TimeSchedule => {
  const schedule = scheduleOf(props, limits);
  const minMs = limits.minIntervalSeconds * 1000;
  const tooClose = () => new InvalidInputError(`The interval of two adjacent time points is less than ${limits.minIntervalSeconds}`);
  const o = schedule.rrule?.options;
  // Arithmetic first: an endless rule repeats some period in full, so times within one period closer than the minimum are refused unexpanded.
  if (o && o.count === null && o.until === null && !schedule.end && periodGapMs(o) < minMs) throw tooClose();
  // One budget for both walks.
  const budget = newBudget();
  try {
    if (!nextOccurrence(schedule, now, budget)) {
      throw new InvalidInputError('The new trigger property is invalid, Can not find the first run time');
    }
    const gap = schedule.cron ? crontabMinGapMs(schedule, now) : calendarMinGapMs(schedule, now, minMs, budget);
    if (gap < minMs) throw tooClose();
  } catch (error) {
    if (error instanceof RuleTooCostlyError) throw tooCostly(schedule.pattern);
    throw error;
  }
  return schedule;
};

/**
 * The smallest gap between adjacent occurrences of an RRULE within the
 * horizon, and among the first FIRST_OCCURRENCES wherever they fall (a leap
 * day rule may have none within the year); stops at the first gap below
 * `floorMs`, on the caller's walk budget.
 */
const calendarMinGapMs = (schedule: TimeSchedule, now: Date, floorMs: number, budget: Budget): number => {
  let min = Infinity;
  let previous: number | undefined;
  let count = 0;
  const horizon = now.getTime() + INTERVAL_HORIZON_MS;
  walkCalendar(
    schedule.rrule!,
    now.getTime(),
    schedule.end?.getTime() ?? Infinity,
    (t) => {
      if (previous !== undefined) min = Math.min(min, t - previous);
      previous = t;
      count += 1;
      return min >= floorMs && count < INTERVAL_MAX_OCCURRENCES && (t <= horizon || count < FIRST_OCCURRENCES);
    },
    budget,
  );
  return min;
};

/**
 * The smallest gap between adjacent crontab occurrences within the horizon,
 * computed from the fields rather than by walking every occurrence: the gap
 * inside a day (times of day), and across the closest two matching days.
 * Occurrences outside start/end only widen gaps, so this is safe.
 */
const crontabMinGapMs = (schedule: TimeSchedule, now: Date): number => {
  const f = schedule.cron!;
  const nums = (values: readonly unknown[]) => values.filter((v): v is number => typeof v === 'number');
  const times: number[] = [];
  for (const h of nums(f.hour.values)) for (const m of nums(f.minute.values)) for (const sec of nums(f.second.values)) times.push(h * 3600 + m * 60 + sec);
  times.sort((a, b) => a - b);
  let min = Infinity;
  for (let i = 1; i < times.length; i += 1) min = Math.min(min, (times[i] - times[i - 1]) * 1000);
  const dayFields = [f.dayOfMonth, f.month, f.dayOfWeek].map(fieldText).join(' ');
  const from = now.getTime() > schedule.start.getTime() ? now : schedule.start;
  const days = CronExpressionParser.parse(`0 0 0 ${dayFields}`, {
    tz: 'UTC',
    currentDate: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()) - 1),
    endDate: new Date(from.getTime() + INTERVAL_HORIZON_MS),
  });
  let previous: number | undefined;
  const spanMs = (times[times.length - 1] - times[0]) * 1000;
  while (days.hasNext()) {
    const d = days.next().getTime();
    if (previous !== undefined) min = Math.min(min, d - previous - spanMs);
    previous = d;
  }
  return min;
};
