import { CronExpressionParser } from 'cron-parser';
import { type Options, RRule } from 'rrule';
import { InvalidInputError } from '../../kernel/errors';

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

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS`, as Karbor stores the default start_time. */
export const formatKarborTime = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

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
    const rule = new RRule({ ...options, dtstart: start, tzid: null });
    if (!hasDayWithin(options, start)) throw new InvalidInputError('The new trigger property is invalid, Can not find the first run time');
    // Evaluating once surfaces option combinations rrule only rejects lazily.
    rule.after(start, true);
    return rule;
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw invalidPattern(pattern);
  }
};

/** How many days ahead a sub-daily rule must have a matching day (see hasDayWithin). */
const DAY_HORIZON = 5 * 366;

const DAY_MS = 24 * 3600 * 1000;

/** Whether a filter is absent or one of its values passes. */
const anyOf = <T>(filter: T | T[] | null | undefined, passes: (v: T) => boolean): boolean => {
  const values = filter === null || filter === undefined ? [] : ([filter].flat() as T[]);
  return values.length === 0 || values.some(passes);
};

/** Whether a UTC day passes an RRULE's day filters (BYMONTH, BYMONTHDAY, BYYEARDAY, BYDAY; BYWEEKNO is not checked). */
const dayPasses = (day: Date, o: Partial<Options>): boolean => {
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth();
  const date = day.getUTCDate();
  const monthDays = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const yearDays = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
  const yearDay = (day.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1;
  return (
    anyOf(o.bymonth, (m) => m === month + 1) &&
    anyOf(o.bymonthday, (m) => (m > 0 ? m : monthDays + m + 1) === date) &&
    anyOf(o.byyearday, (y) => (y > 0 ? y : yearDays + y + 1) === yearDay) &&
    // rrule counts Monday as 0; a weekday is a number or a Weekday.
    anyOf(
      o.byweekday as unknown as number | { weekday: number } | Array<number | { weekday: number }>,
      (w) => (typeof w === 'number' ? w : w.weekday) === (day.getUTCDay() + 6) % 7,
    )
  );
};

/**
 * Bounded work for sub-daily rules: rrule walks every second (or minute, or
 * hour) until a match, so a rule whose days never come (`FREQ=SECONDLY;
 * BYMONTH=2;BYMONTHDAY=30`) would hold the request for many seconds. Its day
 * filters are checked first, day by day over five years (at most 1,830
 * steps); no matching day there means no first run time.
 */
const hasDayWithin = (o: Partial<Options>, start: Date): boolean => {
  if (o.freq === undefined || o.freq <= RRule.DAILY) return true;
  const first = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  const until = o.until ? o.until.getTime() : Infinity;
  for (let n = 0; n < DAY_HORIZON && first + n * DAY_MS <= until; n += 1) {
    if (dayPasses(new Date(first + n * DAY_MS), o)) return true;
  }
  return false;
};

/** The next occurrence strictly after `after`, or undefined (Karbor's `compute_next_time`). */
export const nextOccurrence = (schedule: TimeSchedule, after: Date): Date | undefined => {
  let next: Date | undefined;
  if (schedule.rrule) {
    next = schedule.rrule.after(after, false) ?? undefined;
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
    schedule.rrule.between(after, limit, true, (d) => {
      if (d.getTime() <= after.getTime()) return true;
      out.push(d);
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
  if (!nextOccurrence(schedule, now)) {
    throw new InvalidInputError('The new trigger property is invalid, Can not find the first run time');
  }
  const minMs = limits.minIntervalSeconds * 1000;
  const gap = schedule.cron ? crontabMinGapMs(schedule, now) : calendarMinGapMs(schedule, now, minMs);
  if (gap < minMs) throw new InvalidInputError(`The interval of two adjacent time points is less than ${limits.minIntervalSeconds}`);
  return schedule;
};

/** The smallest gap between adjacent occurrences of an RRULE within the horizon (stops at the first one below `floorMs`). */
const calendarMinGapMs = (schedule: TimeSchedule, now: Date, floorMs: number): number => {
  let min = Infinity;
  let previous: Date | undefined;
  let count = 0;
  schedule.rrule!.between(now, new Date(now.getTime() + INTERVAL_HORIZON_MS), false, (d) => {
    if (schedule.end && d.getTime() > schedule.end.getTime()) return false;
    if (previous) min = Math.min(min, d.getTime() - previous.getTime());
    previous = d;
    count += 1;
    return min >= floorMs && count < INTERVAL_MAX_OCCURRENCES;
  });
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
