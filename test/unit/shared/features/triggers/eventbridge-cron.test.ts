import { compress, cronMatches, toEventBridgeCron } from '../../../../../shared/features/triggers/eventbridge-cron';
import { DEFAULT_LIMITS, nextOccurrence, occurrences, scheduleOf } from '../../../../../shared/features/triggers/time-triggers';

const START = '2026-01-01 03:04:00'; // a Thursday
const cal = (rrule: string) => `BEGIN:VEVENT\nRRULE:${rrule}\nEND:VEVENT`;
const convert = (format: string, pattern: string, start = START) => toEventBridgeCron(scheduleOf({ format, pattern, start_time: start }, DEFAULT_LIMITS));

describe('toEventBridgeCron', () => {
  it.each([
    // crontab: every field form
    ['crontab', '0 * * * *', 'cron(0 * * * ? *)', []],
    ['crontab', '30 2 * * *', 'cron(30 2 * * ? *)', []],
    ['crontab', '0 */6 * * *', 'cron(0 0/6 * * ? *)', []],
    ['crontab', '0 1-5 * * *', 'cron(0 1-5 * * ? *)', []],
    ['crontab', '15,45 9,17 * * *', 'cron(15,45 9,17 * * ? *)', []],
    ['crontab', '0 3 1,15 * *', 'cron(0 3 1,15 * ? *)', []],
    ['crontab', '0 3 * 1-6 *', 'cron(0 3 * 1-6 ? *)', []],
    ['crontab', '0 3 * jan,jul *', 'cron(0 3 * 1,7 ? *)', []],
    ['crontab', '0 3 * * 1-5', 'cron(0 3 ? * 2-6 *)', []],
    ['crontab', '0 3 * * 0', 'cron(0 3 ? * 1 *)', []],
    ['crontab', '0 3 * * 7', 'cron(0 3 ? * 1 *)', []],
    ['crontab', '0 3 * * sun,sat', 'cron(0 3 ? * 1,7 *)', []],
    ['crontab', '0 3 L * *', 'cron(0 3 L * ? *)', []],
    ['crontab', '0 3 * * 5L', 'cron(0 3 ? * 6L *)', []],
    ['crontab', '0 3 * * 1#2', 'cron(0 3 ? * 2#2 *)', []],
    ['crontab', '0 3 1 * 1', 'cron(0 3 * * ? *)', ['day-or']],
    ['crontab', '0 3 * * * 30', 'cron(0 3 * * ? *)', ['seconds']],
    // calendar: RRULEs (dtstart 03:04 on Thursday 2026-01-01)
    ['calendar', cal('FREQ=DAILY'), 'cron(4 3 * * ? *)', []],
    ['calendar', cal('FREQ=DAILY;INTERVAL=1;'), 'cron(4 3 * * ? *)', []],
    ['calendar', cal('FREQ=DAILY;BYHOUR=1,13;BYMINUTE=0'), 'cron(0 1,13 * * ? *)', []],
    ['calendar', cal('FREQ=DAILY;INTERVAL=2'), 'cron(4 3 * * ? *)', ['interval']],
    ['calendar', cal('FREQ=HOURLY'), 'cron(4 * * * ? *)', []],
    ['calendar', cal('FREQ=HOURLY;INTERVAL=6'), 'cron(4 3/6 * * ? *)', []],
    ['calendar', cal('FREQ=HOURLY;INTERVAL=5'), 'cron(4 * * * ? *)', ['interval']],
    ['calendar', cal('FREQ=MINUTELY;INTERVAL=60'), 'cron(4 * * * ? *)', []],
    ['calendar', cal('FREQ=WEEKLY'), 'cron(4 3 ? * 5 *)', []],
    ['calendar', cal('FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=22;BYMINUTE=30'), 'cron(30 22 ? * 2/2 *)', []],
    ['calendar', cal('FREQ=WEEKLY;INTERVAL=2;BYDAY=SU'), 'cron(4 3 ? * 1 *)', ['interval']],
    ['calendar', cal('FREQ=MONTHLY'), 'cron(4 3 1 * ? *)', []],
    ['calendar', cal('FREQ=MONTHLY;BYMONTHDAY=10,20'), 'cron(4 3 10,20 * ? *)', []],
    ['calendar', cal('FREQ=MONTHLY;BYMONTHDAY=-1'), 'cron(4 3 L * ? *)', []],
    ['calendar', cal('FREQ=MONTHLY;INTERVAL=3'), 'cron(4 3 1 1/3 ? *)', []],
    ['calendar', cal('FREQ=MONTHLY;INTERVAL=5'), 'cron(4 3 1 * ? *)', ['interval']],
    ['calendar', cal('FREQ=MONTHLY;BYDAY=1MO'), 'cron(4 3 ? * 2#1 *)', []],
    ['calendar', cal('FREQ=MONTHLY;BYDAY=-1FR'), 'cron(4 3 ? * 6L *)', []],
    ['calendar', cal('FREQ=MONTHLY;BYDAY=1MO,3MO'), 'cron(4 3 ? * 2 *)', ['nth-weekday']],
    ['calendar', cal('FREQ=MONTHLY;BYDAY=MO;BYMONTHDAY=13'), 'cron(4 3 ? * 2 *)', ['day-and']],
    ['calendar', cal('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'), 'cron(4 3 ? * 2-6 *)', ['unsupported-part']],
    ['calendar', cal('FREQ=YEARLY'), 'cron(4 3 1 1 ? *)', []],
    ['calendar', cal('FREQ=YEARLY;INTERVAL=2'), 'cron(4 3 1 1 ? 2026/2)', []],
    ['calendar', cal('FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=15'), 'cron(4 3 15 3,9 ? *)', []],
    ['calendar', cal('FREQ=DAILY;COUNT=3'), 'cron(4 3 * * ? *)', ['count-until']],
  ])('%s %j -> %s, filtering %j', (format, pattern, expression, filters) => {
    // Act
    const result = convert(format, pattern);
    // Assess
    expect(result.expression).toBe(expression);
    expect(result.filters.sort()).toEqual([...filters].sort());
  });

  it.each([
    ['crontab', '0 3 * * 1-5'],
    ['crontab', '0 */6 1,15 * *'],
    ['crontab', '0 3 L * *'],
    ['crontab', '0 3 * * 5L'],
    ['crontab', '0 3 * * 1#2'],
    ['calendar', cal('FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=22;BYMINUTE=30')],
    ['calendar', cal('FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=3;BYMINUTE=4')],
    ['calendar', cal('FREQ=MONTHLY;INTERVAL=3')],
    ['calendar', cal('FREQ=HOURLY;INTERVAL=6')],
    ['calendar', cal('FREQ=YEARLY;INTERVAL=2')],
  ])('exact conversion %s %j fires on exactly the occurrences for two years', (format, pattern) => {
    // Prepare
    const start = format === 'crontab' ? '2025-12-31 00:00:00' : '2026-01-01 00:00:00'; // crontab: strictly after start
    const schedule = scheduleOf({ format, pattern, start_time: start }, DEFAULT_LIMITS);
    const { expression } = toEventBridgeCron(schedule);
    const from = new Date('2026-01-01T00:00:00Z');
    const expected = occurrences(schedule, new Date(from.getTime() - 1), new Date('2028-01-01T00:00:00Z'), 100000).map((d) => d.getTime());
    // Act: every hour boundary + the occurrences' own minutes, checked against the matcher
    const candidates = new Set<number>(expected);
    for (let t = from.getTime(); t < Date.parse('2028-01-01T00:00:00Z'); t += 3600000)
      candidates
        .add(t + 4 * 60000)
        .add(t)
        .add(t + 30 * 60000);
    const fired = [...candidates].filter((t) => cronMatches(expression, new Date(t))).sort((a, b) => a - b);
    // Assess
    expect(fired).toEqual(expected);
  });

  it('covers every occurrence when it must filter (superset)', () => {
    const schedule = scheduleOf({ format: 'calendar', pattern: cal('FREQ=DAILY;INTERVAL=3'), start_time: START }, DEFAULT_LIMITS);
    const { expression } = toEventBridgeCron(schedule);
    const all = occurrences(schedule, new Date('2026-01-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'), 1000);
    expect(all.length).toBeGreaterThan(40);
    expect(all.every((d) => cronMatches(expression, d))).toBe(true);
    expect(cronMatches(expression, new Date('2026-01-02T03:04:00Z'))).toBe(true);
    expect(nextOccurrence(schedule, new Date('2026-01-01T04:00:00Z'))?.toISOString()).toBe('2026-01-04T03:04:00.000Z');
  });
});

describe('compress', () => {
  it.each([
    [[0, 15, 30, 45], 0, 59, '0/15'],
    [[1, 2, 3, 7], 0, 59, '1-3,7'],
    [[5], 0, 59, '5'],
    [[...Array(24).keys()], 0, 23, '*'],
    [[3, 9], 0, 23, '3,9'],
  ])('%j in %i..%i -> %s', (values, min, max, text) => {
    expect(compress(values, min, max)).toBe(text);
  });
});

describe('cronMatches', () => {
  it.each([
    ['cron(0 12 * * ? *)', '2026-11-25T12:00:00Z', true],
    ['cron(0 12 * * ? *)', '2026-11-25T12:01:00Z', false],
    ['cron(0/15 * ? * 4 *)', '2026-11-25T07:45:00Z', true],
    ['cron(0 0 L * ? *)', '2026-02-28T00:00:00Z', true],
    ['cron(0 0 ? * 6L *)', '2026-11-27T00:00:00Z', true],
    ['cron(0 0 ? * 6L *)', '2026-11-20T00:00:00Z', false],
    ['cron(0 0 ? * 2#1 *)', '2026-11-02T00:00:00Z', true],
    ['cron(0 0 1 1 ? 2026/2)', '2027-01-01T00:00:00Z', false],
    ['cron(0 0 1 1 ? 2026/2)', '2028-01-01T00:00:00Z', true],
  ])('%s at %s: %s', (expr, at, result) => {
    expect(cronMatches(expr, new Date(at))).toBe(result);
  });
});
