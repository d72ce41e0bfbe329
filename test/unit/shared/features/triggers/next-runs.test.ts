import { RRule } from 'rrule';
import type { Trigger } from '../../../../../shared/features/triggers/model';
import { nextRuns } from '../../../../../shared/features/triggers/next-runs';
import { triggerView } from '../../../../../shared/features/triggers/views';

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

const NOW = new Date('2026-11-25T12:00:00Z');
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('nextRuns', () => {
  it('the trigger view lists the next five runs after now in Karbor time format', () => {
    // Prepare
    const t = trigger({ format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' });
    // Act
    const view = triggerView(t, NOW);
    // Assess
    expect(view.next_runs).toEqual(['2026-11-26 03:00:00', '2026-11-27 03:00:00', '2026-11-28 03:00:00', '2026-11-29 03:00:00', '2026-11-30 03:00:00']);
  });

  it('starts at start_time when it is later than now, and stops at end_time', () => {
    const t = trigger({ format: 'crontab', pattern: '0 3 * * *', start_time: '2026-12-01 00:00:00', end_time: '2026-12-03 12:00:00' });
    expect(iso(nextRuns(t, NOW))).toEqual(['2026-12-01T03:00:00.000Z', '2026-12-02T03:00:00.000Z', '2026-12-03T03:00:00.000Z']);
  });

  it('is empty once the trigger has ended, or for properties that no longer parse', () => {
    expect(nextRuns(trigger({ format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', end_time: '2026-02-01 00:00:00' }), NOW)).toEqual([]);
    expect(nextRuns(trigger({ format: 'calendar', pattern: cal('FREQ=DAILY;COUNT=3'), start_time: '2026-01-01 00:00:00' }), NOW)).toEqual([]);
    expect(nextRuns(trigger({ format: 'bogus', pattern: 'x' }), NOW)).toEqual([]);
  });

  it('never shows a run from before the trigger took its current properties', () => {
    const t = trigger({ format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00' }, '2026-11-25T15:30:00Z');
    expect(nextRuns(t, NOW, 1)).toEqual([new Date('2026-11-25T16:00:00Z')]);
  });

  it.each([
    ['hourly, INTERVAL=5, started years ago', 'FREQ=HOURLY;INTERVAL=5;BYMINUTE=17', '2016-03-04 05:06:07'],
    ['weekly on two days', 'FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH;BYHOUR=8;BYMINUTE=0', '2019-07-10 00:00:00'],
    ['daily, INTERVAL=2', 'FREQ=DAILY;INTERVAL=2;BYHOUR=1,13', '2024-02-29 00:00:00'],
    ['monthly on the last Friday', 'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=6', '2021-01-01 00:00:00'],
  ])('a calendar rule (%s) gives the runs rrule computes from its own start, with bounded work', (_name, rule, start) => {
    // Prepare
    const t = trigger({ format: 'calendar', pattern: cal(rule), start_time: start });
    const reference = new RRule({ ...RRule.parseString(rule), dtstart: new Date(`${start.replace(' ', 'T')}Z`), tzid: null });
    const expected: Date[] = [];
    reference.all((d) => {
      if (d > NOW) expected.push(d);
      return expected.length < 5;
    });
    // Act
    const began = Date.now();
    const runs = nextRuns(t, NOW);
    const took = Date.now() - began;
    // Assess
    expect(iso(runs)).toEqual(iso(expected));
    expect(took).toBeLessThan(500);
  });
});
