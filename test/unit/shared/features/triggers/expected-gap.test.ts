import fc from 'fast-check';
import type { Trigger } from '../../../../../shared/features/triggers/model';
import { expectedGap } from '../../../../../shared/features/triggers/next-runs';

const cal = (rrule: string) => `BEGIN:VEVENT\nRRULE:${rrule}\nEND:VEVENT`;

const trigger = (properties: Record<string, string>, scheduledFrom = '2020-01-01T00:00:00Z'): Trigger => ({
  id: 't',
  projectId: 'p',
  name: 't',
  type: 'time',
  properties,
  createdAt: scheduledFrom,
  scheduledFrom,
  operationCount: 0,
});

/** Wednesday noon. */
const NOW = new Date('2026-11-25T12:00:00Z');
const DAY = 86400;

describe('expectedGap (docs/decisions.md §20)', () => {
  it('is the longest gap between runs plus the window: a weekday crontab expects three days (Friday to Monday)', () => {
    // Prepare
    const t = trigger({ format: 'crontab', pattern: '0 3 * * 1-5', start_time: '2026-01-01 00:00:00', window: '900' });
    // Act
    const gap = expectedGap(t, NOW);
    // Assess
    expect(gap?.intervalSeconds).toBe(3 * DAY + 900);
    expect(gap?.until).toBeUndefined();
  });

  it('takes the default window (Karbor’s min_window_time) when the trigger names none', () => {
    // Act
    const gap = expectedGap(trigger({ format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00' }), NOW);
    // Assess: hourly, plus the 900 s default window
    expect(gap?.intervalSeconds).toBe(3600 + 900);
  });

  it('measures a calendar rule the same way: a monthly rule on the 31st expects two months', () => {
    // Act
    const gap = expectedGap(
      trigger({ format: 'calendar', pattern: cal('FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=1;BYMINUTE=0'), start_time: '2026-01-01 00:00:00', window: '900' }),
      NOW,
    );
    // Assess: 31 Dec -> 31 Jan is the shortest; 31 Mar -> 31 May (61 days) the longest
    expect(gap?.intervalSeconds).toBe(61 * DAY + 900);
  });

  it('has no expectation once the end_time is past, and ends with the end_time otherwise', () => {
    // Act
    const ended = expectedGap(trigger({ format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', end_time: '2026-06-01 00:00:00' }), NOW);
    const ending = expectedGap(trigger({ format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', end_time: '2027-06-01 00:00:00' }), NOW);
    // Assess
    expect(ended).toBeUndefined();
    expect(ending?.until?.toISOString()).toBe('2027-06-01T00:00:00.000Z');
    expect(ending?.intervalSeconds).toBe(DAY + 900);
  });

  it('starts no earlier than one gap before the first run: a trigger starting next month is not late before it could run', () => {
    // Act
    const gap = expectedGap(trigger({ format: 'crontab', pattern: '0 3 * * *', start_time: '2027-01-10 00:00:00' }), NOW);
    // Assess
    expect(gap?.since.toISOString()).toBe('2027-01-09T03:00:00.000Z');
  });

  it('is never shorter than any gap between two of the next runs, for any daily time set and window (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 900, max: 1800 }), (hours, window) => {
        const sorted = [...hours].sort((a, b) => a - b);
        const gap = expectedGap(
          trigger({ format: 'crontab', pattern: `0 ${sorted.join(',')} * * *`, start_time: '2026-01-01 00:00:00', window: String(window) }),
          NOW,
        );
        // The widest gap of a day's times, the wrap past midnight included.
        const wrap = sorted[0] + 24 - sorted[sorted.length - 1];
        const widest = Math.max(wrap, ...sorted.slice(1).map((h, i) => h - sorted[i]));
        expect(gap?.intervalSeconds).toBe(widest * 3600 + window);
      }),
      { numRuns: 40 },
    );
  });
});
