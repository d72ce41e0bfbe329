import type { ActiveJob } from '../../../../../shared/features/jobs/model';
import type { DayCounters, OverviewDeps } from '../../../../../shared/features/overview/model';
import { showOverview } from '../../../../../shared/features/overview/use-cases';
import type { Identity } from '../../../../../shared/kernel/identity';

const member: Identity = { userId: 'u', projectId: 'p1', roles: ['member'], isAdmin: false };
const admin: Identity = { ...member, roles: ['admin'], isAdmin: true };
const job = (projectId: string): ActiveJob => ({ kind: 'checkpoint', id: `j-${projectId}`, projectId, status: 'protecting', since: '2026-12-08T00:00:00Z' });

/** Fake ports: counters and bank by scope, verdicts by scope, running jobs of two projects; records the scopes asked for. */
const deps = (now: string, days: DayCounters[]) => {
  const asked: string[] = [];
  const d: OverviewDeps = {
    counters: {
      days: async (scope, from, to) => {
        asked.push(`days ${scope.kind} ${from} ${to}`);
        return days;
      },
      bankBytes: async (scope) => (scope.kind === 'all' ? 900 : 300),
    },
    planVerdicts: async (scope) => (scope.kind === 'all' ? ['compliant', 'late', 'late'] : ['compliant', 'unprotected']),
    running: { list: async () => [job('p1'), job('p2'), job('p1')] },
    clock: { now: () => new Date(now) },
  };
  return { d, asked };
};

describe('showOverview', () => {
  it('sums the last 24 hours across midnight from the hour counters, and leaves out the 25th hour', async () => {
    // Prepare: 01:30 on the 8th; jobs at 01 and 00 today, at 02 and 23 yesterday, and at 01 yesterday (25 hours ago).
    const { d } = deps('2026-12-08T01:30:00.000Z', [
      { day: '2026-12-08', counts: { h01_success: 2, h00_error: 1, protect_success: 2, restore_error: 1 } },
      { day: '2026-12-07', counts: { h23_success: 1, h02_error: 4, h01_success: 7, protect_success: 8, delete_error: 4 } },
    ]);
    // Act
    const o = await showOverview(d, member, 'p1', false);
    // Assess
    expect(o.last24h).toEqual({ success: 3, error: 5 });
    expect(o.days).toHaveLength(30);
    expect(o.days[0].date).toBe('2026-11-09');
    expect(o.days.at(-1)).toEqual({
      date: '2026-12-08',
      counts: {
        protect: { success: 2, error: 0 },
        copy: { success: 0, error: 0 },
        restore: { success: 0, error: 1 },
        verify: { success: 0, error: 0 },
        delete: { success: 0, error: 0 },
      },
    });
    expect(o.days.at(-2)?.counts.delete).toEqual({ success: 0, error: 4 });
  });

  it('answers the caller project, and every project only to an admin asking all_tenants', async () => {
    // Prepare
    const mine = deps('2026-12-08T12:00:00.000Z', []);
    const ignored = deps('2026-12-08T12:00:00.000Z', []);
    const all = deps('2026-12-08T12:00:00.000Z', []);
    // Act
    const project = await showOverview(mine.d, admin, 'p1', false);
    const memberAll = await showOverview(ignored.d, member, 'p1', true);
    const every = await showOverview(all.d, admin, 'p1', true);
    // Assess
    expect(project).toMatchObject({ plans: { compliant: 1, late: 0, unprotected: 1 }, jobsRunning: 2, bankBytes: 300 });
    expect(memberAll).toEqual(project);
    expect(every).toMatchObject({ plans: { compliant: 1, late: 2, unprotected: 0 }, jobsRunning: 3, bankBytes: 900 });
    expect(mine.asked).toEqual(['days project 2026-11-09 2026-12-08']);
    expect(all.asked).toEqual(['days all 2026-11-09 2026-12-08']);
  });
});
