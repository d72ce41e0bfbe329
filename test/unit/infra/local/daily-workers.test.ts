import { dueLocally } from '../../../../infra/local/runtime';
import { DAILY_REPORTS_WORKER_ID, workerById } from '../../../../shared/workers';

describe('the local scheduler and daily workers (docs/decisions.md §22)', () => {
  const daily = workerById(DAILY_REPORTS_WORKER_ID);
  const sweep = workerById('protection.sweep');

  it('runs the daily reports only at 00:15 UTC, never at start, and fixed-rate workers every minute', () => {
    // Act
    const at = (iso: string) => dueLocally(daily, new Date(iso));
    // Assess
    expect(at('2026-12-02T00:15:00.000Z')).toBe(true);
    expect([at('2026-12-02T00:14:00.000Z'), at('2026-12-02T00:16:00.000Z'), at('2026-12-02T12:15:00.000Z')]).toEqual([false, false, false]);
    expect(dueLocally(daily, undefined)).toBe(false);
    expect([dueLocally(sweep, undefined), dueLocally(sweep, new Date('2026-12-02T07:41:00.000Z'))]).toEqual([true, true]);
  });
});
