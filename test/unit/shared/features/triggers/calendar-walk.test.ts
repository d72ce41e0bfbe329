import fc from 'fast-check';
import { RRule } from 'rrule';
import { InvalidInputError } from '../../../../../shared/kernel/errors';
import { occurrences, validateTriggerProperties } from '../../../../../shared/features/triggers/time-triggers';
import { newBudget, RuleTooCostlyError, walkCalendar } from '../../../../../shared/features/triggers/calendar-walk';

const NOW = new Date('2026-11-25T12:00:00Z');
const LIMITS = { minIntervalSeconds: 3600, minWindowSeconds: 900, maxWindowSeconds: 1800 };
const cal = (rrule: string) => `BEGIN:VEVENT\nRRULE:${rrule}\nEND:VEVENT`;
const validate = (rrule: string, start = '2026-11-25 10:00:00') =>
  validateTriggerProperties({ format: 'calendar', pattern: cal(rrule), start_time: start }, LIMITS, NOW);

/** A part `NAME=v1,v2` of 1-3 distinct values, or nothing (rrule repeats a repeated value). */
const part = (name: string, value: fc.Arbitrary<string | number>) =>
  fc.option(
    fc.uniqueArray(value, { minLength: 1, maxLength: 3 }).map((vs) => `${name}=${vs.join(',')}`),
    { nil: undefined },
  );

/** RRULE strings over every part the validator knows, sparse and dense alike. */
const rrules = fc
  .tuple(
    fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'),
    fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    part('BYMONTH', fc.integer({ min: 1, max: 12 })),
    part('BYMONTHDAY', fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: -31, max: -1 }))),
    part('BYYEARDAY', fc.constantFrom(1, 60, 365, 366, -1)),
    part('BYDAY', fc.constantFrom('MO', 'TU', 'SA', 'SU', '1MO', '-1FR')),
    part('BYHOUR', fc.integer({ min: 0, max: 23 })),
    part('BYMINUTE', fc.integer({ min: 0, max: 59 })),
    part('BYSECOND', fc.integer({ min: 0, max: 59 })),
    part('BYSETPOS', fc.constantFrom(1, 2, -1, 5)),
    fc.option(fc.constantFrom('COUNT=1', 'COUNT=3', 'COUNT=5000', 'UNTIL=20270101T000000Z', 'UNTIL=20261125T000000Z'), { nil: undefined }),
  )
  .map(([freq, interval, ...parts]) => [`FREQ=${freq}`, interval === undefined ? undefined : `INTERVAL=${interval}`, ...parts].filter(Boolean).join(';'));

const starts = fc.constantFrom('2026-11-25 10:00:00', '2024-02-29 00:00:00', '2000-01-01 00:00:30', '2031-07-15 12:34:56');

describe('calendar trigger validation on any rule', () => {
  it('always answers (a schedule or a 400), and an accepted rule keeps the minimum interval on its first occurrences', () => {
    fc.assert(
      fc.property(rrules, starts, (rrule, start) => {
        let schedule: ReturnType<typeof validate>;
        try {
          schedule = validate(rrule, start);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          return;
        }
        const first = occurrences(schedule, NOW, new Date(NOW.getTime() + 60 * 366 * 86_400_000), 50).map((d) => d.getTime());
        expect(first.length).toBeGreaterThan(0);
        for (let i = 1; i < first.length; i += 1) expect(first[i] - first[i - 1]).toBeGreaterThanOrEqual(LIMITS.minIntervalSeconds * 1000);
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });

  it('expands DAILY and WEEKLY rules as rrule does', () => {
    const dayRules = fc
      .tuple(
        fc.constantFrom('WEEKLY', 'DAILY'),
        fc.integer({ min: 1, max: 5 }),
        part('BYMONTH', fc.integer({ min: 1, max: 12 })),
        part('BYMONTHDAY', fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: -31, max: -1 }))),
        part('BYDAY', fc.constantFrom('MO', 'TU', 'SA', 'SU')),
        part('BYHOUR', fc.integer({ min: 0, max: 23 })),
        fc.constantFrom('MO', 'SU', 'WE'),
      )
      .map(([freq, interval, ...rest]) => {
        const wkst = rest.pop();
        return [`FREQ=${freq}`, `INTERVAL=${interval}`, `WKST=${wkst}`, ...rest].filter(Boolean).join(';');
      });
    fc.assert(
      fc.property(dayRules, (text) => {
        const rule = new RRule({ ...RRule.parseString(text), dtstart: new Date('2026-01-07T05:06:07Z'), tzid: null });
        const until = new Date('2028-01-01T00:00:00Z');
        // rrule emits a day's BYHOUR times in the order given: compare the sets of the first weeks.
        const expected = rule.between(new Date('2026-01-01T00:00:00Z'), until, false).map((d) => d.getTime());
        const walked: number[] = [];
        walkCalendar(rule, Date.parse('2026-01-01T00:00:00Z'), until.getTime(), (t) => walked.push(t) > 0);
        expect(walked).toEqual(expected.sort((a, b) => a - b));
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

describe('rules that once walked for seconds or for ever', () => {
  it.each([
    // a leap day, every second or minute of it
    ['FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29', 'less than 3600'],
    ['FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=3', 'less than 3600'],
    ['FREQ=SECONDLY;BYYEARDAY=366', 'less than 3600'],
    // even hours only, then hour 3: rrule loops for ever
    ['FREQ=HOURLY;INTERVAL=2;BYHOUR=3', 'Can not find the first run time'],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'Can not find the first run time'],
    ['FREQ=MONTHLY;BYMONTHDAY=31;BYSETPOS=2', 'Can not find the first run time'],
    ['FREQ=WEEKLY;BYDAY=MO,TU;BYMONTHDAY=1;BYSETPOS=2', 'Can not find the first run time'],
    ['FREQ=WEEKLY;BYWEEKNO=20', 'is invalid'],
    // its times of day differ every day: too much to prove
    ['FREQ=SECONDLY;INTERVAL=7;BYSECOND=0;BYMINUTE=0', 'too much work'],
  ])('refuses %s with a 400 saying why', (rrule, message) => {
    expect(() => validate(rrule)).toThrow(InvalidInputError);
    expect(() => validate(rrule)).toThrow(message);
  });

  it.each([
    ['FREQ=SECONDLY;BYMINUTE=0;BYSECOND=0', '2000-01-01 00:00:00', '2026-11-25T13:00:00.000Z'],
    ['FREQ=MINUTELY;INTERVAL=60', '1000-01-01 00:00:00', '2026-11-25T13:00:00.000Z'],
    ['FREQ=DAILY', '1000-01-01 09:00:00', '2026-11-26T09:00:00.000Z'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0,12', '1000-01-01 00:00:00', '2026-11-26T00:00:00.000Z'],
    ['FREQ=HOURLY;INTERVAL=3;COUNT=100000', '2020-01-01 00:00:00', '2026-11-25T15:00:00.000Z'],
  ])('accepts %s from %s, next at %s', (rrule, start, next) => {
    const schedule = validate(rrule, start);
    expect(occurrences(schedule, NOW, new Date('2030-01-01T00:00:00Z'), 1)[0].toISOString()).toBe(next);
  });

  it('stops a walk that runs out of budget with RuleTooCostlyError', () => {
    const rule = new RRule({ ...RRule.parseString('FREQ=SECONDLY;INTERVAL=7;BYSECOND=0;BYMINUTE=0'), dtstart: NOW, tzid: null });
    expect(() => walkCalendar(rule, NOW.getTime(), Infinity, () => true, newBudget(10_000))).toThrow(RuleTooCostlyError);
  });
});
