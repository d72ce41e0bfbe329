import { nextOccurrence, parseTriggerTime, scheduleOf, validateTriggerProperties } from '../../../../../shared/features/triggers/time-triggers';
import { triggerLimits } from '../../../../../shared/features/triggers/deps';
import { withSettings } from '../../../../support/settings';

const NOW = new Date('2026-11-25T12:00:00Z');
const LIMITS = { minIntervalSeconds: 3600, minWindowSeconds: 900, maxWindowSeconds: 1800 };
const cal = (rrule: string) => `BEGIN:VEVENT\nRRULE:${rrule}\nEND:VEVENT`;

describe('parseTriggerTime', () => {
  it.each([
    ['2016-8-18 01:03:04', '2016-08-18T01:03:04.000Z'],
    ['2026-01-01 00:00:00', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T02:00:00+02:00', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseTriggerTime(text)?.toISOString()).toBe(iso);
  });

  it.each(['2026/01/01 00:00:00', '2026-02-30 00:00:00', '2026-01-01', 'tomorrow', '2026-01-01 24:00:00'])('refuses %s', (text) => {
    expect(parseTriggerTime(text)).toBeUndefined();
  });
});

describe('validateTriggerProperties', () => {
  it('accepts a daily calendar trigger and computes its next occurrence from start_time', () => {
    // Act
    const s = validateTriggerProperties({ format: 'calendar', pattern: cal('FREQ=DAILY'), start_time: '2026-01-01 03:00:00' }, LIMITS, NOW);
    // Assess
    expect(s.windowSeconds).toBe(900);
    expect(nextOccurrence(s, NOW)?.toISOString()).toBe('2026-11-26T03:00:00.000Z');
  });

  it('JSON-unescapes a pattern written with literal backslash-n, as Karbor', () => {
    const s = validateTriggerProperties(
      { format: 'calendar', pattern: 'BEGIN:VEVENT\\nRRULE:FREQ=WEEKLY\\nEND:VEVENT', start_time: '2026-01-01 00:00:00' },
      LIMITS,
      NOW,
    );
    expect(nextOccurrence(s, NOW)?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('refuses occurrences closer than the minimum interval (BYMINUTE=0,30)', () => {
    expect(() =>
      validateTriggerProperties({ format: 'calendar', pattern: cal('FREQ=DAILY;BYHOUR=1;BYMINUTE=0,30'), start_time: '2026-01-01 00:00:00' }, LIMITS, NOW),
    ).toThrow('The interval of two adjacent time points is less than 3600');
  });

  it('refuses a crontab whose two runs of a day are closer than the minimum', () => {
    expect(() => validateTriggerProperties({ format: 'crontab', pattern: '0,30 3 * * *', start_time: '2026-01-01 00:00:00' }, LIMITS, NOW)).toThrow(
      'The interval of two adjacent time points is less than 3600',
    );
  });

  it('accepts a crontab at the limit and with a 6th croniter seconds field', () => {
    expect(() => validateTriggerProperties({ format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00' }, LIMITS, NOW)).not.toThrow();
    const s = validateTriggerProperties({ format: 'crontab', pattern: '0 3 * * * 30', start_time: '2026-01-01 00:00:00' }, LIMITS, NOW);
    expect(nextOccurrence(s, NOW)?.toISOString()).toBe('2026-11-26T03:00:30.000Z');
  });

  it('honours lowered limits from configuration (a one-minute demo trigger)', () => {
    const demo = withSettings({ KARBOR_MIN_INTERVAL_SECONDS: '60', KARBOR_MIN_WINDOW_SECONDS: '20', KARBOR_MAX_WINDOW_SECONDS: '30' }, () => triggerLimits());
    expect(demo).toEqual({ minIntervalSeconds: 60, minWindowSeconds: 20, maxWindowSeconds: 30 });
    expect(() =>
      validateTriggerProperties({ format: 'crontab', pattern: '* * * * *', start_time: '2026-01-01 00:00:00', window: '30' }, demo, NOW),
    ).not.toThrow();
  });

  it('takes Karbor defaults when nothing is configured and refuses a bad value, naming it', () => {
    expect(withSettings({}, () => triggerLimits())).toEqual(LIMITS);
    expect(() => withSettings({ KARBOR_MIN_INTERVAL_SECONDS: 'x' }, () => triggerLimits())).toThrow(/KARBOR_MIN_INTERVAL_SECONDS/);
  });

  it.each([
    [{ format: 'calendar', pattern: cal('FREQ=DAILY'), start_time: '' }, "The trigger's start time is unknown"],
    [{ format: 'calendar', pattern: cal('FREQ=DAILY'), start_time: '2026-01-01 00:00:00', end_time: 'x' }, 'The format of trigger end_time is not correct'],
    [
      { format: 'calendar', pattern: cal('FREQ=DAILY'), start_time: '2026-01-01 00:00:00', window: '2000' },
      'The trigger windows 2000 must be between 900 and 1800',
    ],
    [
      { format: 'calendar', pattern: 'BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT', start_time: '2026-01-01 00:00:00' },
      'The first VEVENT component of trigger pattern(BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT) must include less than one RRULE property',
    ],
    [{ format: 'calendar', pattern: cal('FREQ=NEVER'), start_time: '2026-01-01 00:00:00' }, `The trigger pattern(${cal('FREQ=NEVER')}) is invalid`],
    [{ format: 'crontab', pattern: '', start_time: '2026-01-01 00:00:00' }, 'The trigger pattern is None'],
    [{ format: 'crontab', pattern: '61 * * * *', start_time: '2026-01-01 00:00:00' }, 'The trigger pattern(61 * * * *) is invalid'],
  ])('refuses %j', (props, message) => {
    expect(() => scheduleOf(props, LIMITS)).toThrow(message);
  });
});

describe('sub-daily calendar rules whose days never come', () => {
  const FAST = { minIntervalSeconds: 60, minWindowSeconds: 60, maxWindowSeconds: 1800 };
  const props = (rule: string) => ({ format: 'calendar', pattern: cal(rule), start_time: '2026-01-01 00:00:00' });

  it.each(['FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31', 'FREQ=HOURLY;BYYEARDAY=367'])(
    'refuses %s without walking its seconds (no first run time)',
    (rule) => {
      expect(() => validateTriggerProperties(props(rule), FAST, NOW)).toThrow('The new trigger property is invalid, Can not find the first run time');
    },
  );

  it.each(['FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=3', 'FREQ=HOURLY;BYDAY=MO;BYMONTHDAY=-1', 'FREQ=HOURLY;BYMONTH=12;BYMONTHDAY=31;BYYEARDAY=-1'])(
    "keeps %s, whose days come (a leap day, the last day of a month on a Monday, New Year's Eve)",
    (rule) => {
      expect(nextOccurrence(validateTriggerProperties(props(rule), FAST, NOW), NOW)).toBeInstanceOf(Date);
    },
  );
});
