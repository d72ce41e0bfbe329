import type { TimeSchedule } from './time-triggers';

/**
 * Karbor trigger patterns -> EventBridge cron expressions, and the matcher
 * the local scheduler uses to play EventBridge.
 *
 * EventBridge cron (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html):
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, UTC, minute
 * resolution; day-of-week is 1-7 with 1 = Sunday; exactly one of day-of-month
 * and day-of-week is `?`; `L` and `#` are allowed in the day fields.
 *
 * The expression is the tightest one that covers every occurrence. Whatever
 * it cannot say is listed in `filters`: the fire-trigger Lambda, which
 * recomputes every occurrence from the stored pattern anyway, drops those
 * firings.
 */
interface CronConversion {
  /** `cron(...)` */
  expression: string;
  /** What the Lambda must still filter out (empty = the expression fires exactly on occurrences, start/end aside). */
  filters: CronFilter[];
}

type CronFilter =
  | 'seconds' // occurrences are not on the minute: the firing minute holds the occurrence
  | 'interval' // INTERVAL > 1 that does not divide the enclosing period
  | 'day-and' // RRULE with both month days and weekdays (an intersection)
  | 'day-or' // crontab with both day-of-month and day-of-week (a union)
  | 'nth-weekday' // BYDAY=2MO,-1FR style sets cron cannot list
  | 'month-day' // negative or mixed month days
  | 'unsupported-part' // BYSETPOS, BYYEARDAY, BYWEEKNO
  | 'count-until'; // COUNT/UNTIL end the rule early

const range = (min: number, max: number) => Array.from({ length: max - min + 1 }, (_, i) => min + i);

/** A value set as cron text: `*`, `a/k`, or a comma list of values and ranges. */
export const compress = (values: readonly number[], min: number, max: number): string => {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  if (sorted.length === max - min + 1) return '*';
  if (sorted.length > 2) {
    const step = sorted[1] - sorted[0];
    const progression = sorted.every((v, i) => i === 0 || v - sorted[i - 1] === step);
    if (progression && step > 1 && sorted[0] < step + min && sorted[sorted.length - 1] + step > max) return `${sorted[0]}/${step}`;
  }
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j += 1;
    parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
};

/** Values congruent to `first` modulo `step` in [min, max]. */
const congruent = (first: number, step: number, min: number, max: number) => range(min, max).filter((v) => (((v - first) % step) + step) % step === 0);

const intersect = (a: readonly number[], b: readonly number[]) => a.filter((v) => b.includes(v));

const build = (min: string, hour: string, dom: string, month: string, dow: string, year = '*') => `cron(${min} ${hour} ${dom} ${month} ${dow} ${year})`;

/** cron-parser weekday (0-7, 0 and 7 = Sunday) -> EventBridge (1-7, 1 = Sunday). */
const ebFromCronDow = (d: number) => (d % 7) + 1;
/** rrule weekday (0 = Monday) -> EventBridge (1 = Sunday). */
const ebFromRruleDow = (d: number) => ((d + 1) % 7) + 1;

const crontabToCron = (schedule: TimeSchedule): CronConversion => {
  const f = schedule.cron!;
  const filters = new Set<CronFilter>();
  const nums = (values: readonly unknown[]) => values.filter((v): v is number => typeof v === 'number');
  if (nums(f.second.values).some((s) => s !== 0) || f.second.values.length > 1) filters.add('seconds');
  const minute = compress(nums(f.minute.values), 0, 59);
  const hour = compress(nums(f.hour.values), 0, 23);
  const month = compress(nums(f.month.values), 1, 12);
  const domValues = f.dayOfMonth.values as readonly (number | string)[];
  const dowValues = f.dayOfWeek.values as readonly (number | string)[];
  const domText = (): string => {
    if (domValues.every((v) => typeof v === 'number')) return compress(nums(domValues), 1, 31);
    if (domValues.length === 1 && domValues[0] === 'L') return 'L';
    filters.add('month-day');
    return '*';
  };
  const dowText = (): string => {
    const nth = (f.dayOfWeek as { nthDay?: number }).nthDay;
    if (nth && dowValues.length === 1 && typeof dowValues[0] === 'number') return `${ebFromCronDow(dowValues[0])}#${nth}`;
    if (dowValues.every((v) => typeof v === 'number')) return compress(nums(dowValues).map(ebFromCronDow), 1, 7);
    if (dowValues.length === 1) {
      const m = /^([0-7])(?:#([1-5])|(L))$/.exec(String(dowValues[0]));
      if (m) return m[2] ? `${ebFromCronDow(Number(m[1]))}#${m[2]}` : `${ebFromCronDow(Number(m[1]))}L`;
    }
    filters.add('nth-weekday');
    return '*';
  };
  let dom = '*';
  let dow = '?';
  if (!f.dayOfMonth.isWildcard && !f.dayOfWeek.isWildcard) {
    // Standard cron ORs the two day fields; EventBridge cannot: every day, filtered.
    filters.add('day-or');
  } else if (!f.dayOfMonth.isWildcard) {
    dom = domText();
  } else if (!f.dayOfWeek.isWildcard) {
    dom = '?';
    dow = dowText();
    if (dow === '*') [dom, dow] = ['*', '?'];
  }
  return { expression: build(minute, hour, dom, month, dow), filters: [...filters] };
};

/** rrule frequencies (RRule.YEARLY = 0 ... RRule.SECONDLY = 6). */
const YEARLY = 0;
const MONTHLY = 1;
const WEEKLY = 2;
const DAILY = 3;
const HOURLY = 4;
const MINUTELY = 5;
const SECONDLY = 6;

const calendarToCron = (schedule: TimeSchedule): CronConversion => {
  const o = schedule.rrule!.options;
  const start = schedule.start;
  const filters = new Set<CronFilter>();
  const interval = o.interval ?? 1;
  if (o.bysetpos?.length || o.byyearday?.length || o.byweekno?.length || o.byeaster !== null) filters.add('unsupported-part');
  if (o.count !== null || o.until !== null) filters.add('count-until');

  if (o.freq === SECONDLY || (o.bysecond ?? [0]).some((s) => s !== 0) || (o.bysecond?.length ?? 1) > 1) filters.add('seconds');

  let minutes = o.byminute?.length ? [...o.byminute] : range(0, 59);
  if (o.freq === MINUTELY && interval > 1) {
    if (60 % interval === 0) minutes = intersect(minutes, congruent(start.getUTCMinutes(), interval, 0, 59));
    else filters.add('interval');
  }
  let hours = o.byhour?.length ? [...o.byhour] : range(0, 23);
  if (o.freq === HOURLY && interval > 1) {
    if (24 % interval === 0) hours = intersect(hours, congruent(start.getUTCHours(), interval, 0, 23));
    else filters.add('interval');
  }
  let months = o.bymonth?.length ? [...o.bymonth] : range(1, 12);
  if (o.freq === MONTHLY && interval > 1) {
    if (12 % interval === 0) months = intersect(months, congruent(start.getUTCMonth() + 1, interval, 1, 12));
    else filters.add('interval');
  }
  let year = '*';
  if (o.freq === YEARLY && interval > 1) year = `${start.getUTCFullYear()}/${interval}`;
  if ((o.freq === DAILY || o.freq === WEEKLY) && interval > 1) filters.add('interval');

  const monthDays = o.bymonthday ?? [];
  const negativeMonthDays = o.bynmonthday ?? [];
  const weekdays = o.byweekday ?? [];
  const nthWeekdays = (o.bynweekday ?? []) as number[][];
  const hasDom = monthDays.length > 0 || negativeMonthDays.length > 0;
  const hasDow = weekdays.length > 0 || nthWeekdays.length > 0;

  let dom = '*';
  let dow = '?';
  const weekdayText = (): string => {
    if (nthWeekdays.length === 0) return compress(weekdays.map(ebFromRruleDow), 1, 7);
    if (weekdays.length === 0 && nthWeekdays.length === 1) {
      const [wd, n] = nthWeekdays[0];
      if (n >= 1 && n <= 5) return `${ebFromRruleDow(wd)}#${n}`;
      if (n === -1) return `${ebFromRruleDow(wd)}L`;
    }
    filters.add('nth-weekday');
    return compress([...weekdays, ...nthWeekdays.map(([wd]) => wd)].map(ebFromRruleDow), 1, 7);
  };
  if (hasDow) {
    [dom, dow] = ['?', weekdayText()];
    if (hasDom) filters.add('day-and');
  } else if (hasDom) {
    if (negativeMonthDays.length === 0) dom = compress(monthDays, 1, 31);
    else if (monthDays.length === 0 && negativeMonthDays.length === 1 && negativeMonthDays[0] === -1) dom = 'L';
    else filters.add('month-day');
  }
  if (dow === '*') [dom, dow] = ['*', '?'];
  if (minutes.length === 0 || hours.length === 0 || months.length === 0) {
    // BY parts that never meet: the rule has no occurrence; validation refuses it before this.
    filters.add('unsupported-part');
  }
  return {
    expression: build(compress(minutes, 0, 59) || '*', compress(hours, 0, 23) || '*', dom, compress(months, 1, 12) || '*', dow, year),
    filters: [...filters],
  };
};

/** The tightest EventBridge cron expression covering every occurrence of a validated trigger. */
export const toEventBridgeCron = (schedule: TimeSchedule): CronConversion =>
  schedule.format === 'crontab' ? crontabToCron(schedule) : calendarToCron(schedule);

const FIELD_BOUNDS: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [1, 7],
  [1970, 2199],
];

const lastDayOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();

const matchesField = (text: string, value: number, [min, max]: [number, number]): boolean =>
  text.split(',').some((part) => {
    if (part === '*' || part === '?') return true;
    const [base, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo: number;
    let hi: number;
    if (base === '*') [lo, hi] = [min, max];
    else if (base.includes('-')) [lo, hi] = base.split('-').map(Number) as [number, number];
    else [lo, hi] = [Number(base), stepText === undefined ? Number(base) : max];
    return value >= lo && value <= hi && (value - lo) % step === 0;
  });

/**
 * Whether an EventBridge cron expression fires in the minute starting at `at`
 * (UTC). Supports what toEventBridgeCron emits: `*`, `?`, lists, ranges,
 * steps, `L` in day-of-month, `dL` and `d#n` in day-of-week.
 */
export const cronMatches = (expression: string, at: Date): boolean => {
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m) return false;
  const [minute, hour, dom, month, dow, year = '*'] = m[1].trim().split(/\s+/);
  const weekday = at.getUTCDay() + 1;
  const day = at.getUTCDate();
  const domOk = dom === 'L' ? day === lastDayOfMonth(at) : matchesField(dom, day, FIELD_BOUNDS[2]);
  const dowOk = (() => {
    const nth = /^([1-7])#([1-5])$/.exec(dow);
    if (nth) return weekday === Number(nth[1]) && Math.ceil(day / 7) === Number(nth[2]);
    const last = /^([1-7])L$/.exec(dow);
    if (last) return weekday === Number(last[1]) && day + 7 > lastDayOfMonth(at);
    return matchesField(dow, weekday, FIELD_BOUNDS[4]);
  })();
  return (
    matchesField(minute, at.getUTCMinutes(), FIELD_BOUNDS[0]) &&
    matchesField(hour, at.getUTCHours(), FIELD_BOUNDS[1]) &&
    domOk &&
    matchesField(month, at.getUTCMonth() + 1, FIELD_BOUNDS[3]) &&
    dowOk &&
    matchesField(year, at.getUTCFullYear(), FIELD_BOUNDS[5])
  );
};
