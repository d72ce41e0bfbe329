import type { Identity } from '../../kernel/identity';
import { type DayCounters, OVERVIEW_DAYS, type Overview, type OverviewDay, type OverviewDeps, type OverviewScope } from './model';
import { counterAttribute, hourAttribute, JOB_KINDS, JOB_OUTCOMES } from './transact';

/** Running jobs the overview counts at most (the index of running jobs is read, never the jobs). */
export const RUNNING_CAP = 1000;

const DAY_MS = 86_400_000;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The 30 days up to today, each with every kind's outcomes (0 where no job finished). */
const daysFrom = (counters: DayCounters[], today: number): OverviewDay[] => {
  const byDay = new Map(counters.map((c) => [c.day, c.counts]));
  return Array.from({ length: OVERVIEW_DAYS }, (_, i) => {
    const date = dayOf(today - (OVERVIEW_DAYS - 1 - i) * DAY_MS);
    const counts = byDay.get(date) ?? {};
    return {
      date,
      counts: Object.fromEntries(
        JOB_KINDS.map((k) => [k, Object.fromEntries(JOB_OUTCOMES.map((o) => [o, counts[counterAttribute(k, o)] ?? 0]))]),
      ) as OverviewDay['counts'],
    };
  });
};

/** The jobs of the last 24 whole and partial hours by outcome: this hour and the 23 before it, from the days' hour counters. */
const last24h = (counters: DayCounters[], now: number): Overview['last24h'] => {
  const byDay = new Map(counters.map((c) => [c.day, c.counts]));
  const sum = { success: 0, error: 0 };
  for (let h = 0; h < 24; h += 1) {
    const at = new Date(now - h * 3_600_000).toISOString();
    const counts = byDay.get(at.slice(0, 10)) ?? {};
    for (const o of JOB_OUTCOMES) sum[o] += counts[hourAttribute(at.slice(11, 13), o)] ?? 0;
  }
  return sum;
};

/**
 * The overview of the caller's project, or of every project for an admin's
 * `all_tenants` (docs/decisions.md §23): two Queries of counter items, the
 * plan index with its compliance items, and the index of running jobs.
 */
export const showOverview = async (deps: OverviewDeps, identity: Identity, projectId: string, allTenants: boolean): Promise<Overview> => {
  const now = deps.clock.now();
  const t = now.getTime();
  const scope: OverviewScope = allTenants && identity.isAdmin ? { kind: 'all' } : { kind: 'project', projectId };
  const [counters, bankBytes, verdicts, running] = await Promise.all([
    deps.counters.days(scope, dayOf(t - (OVERVIEW_DAYS - 1) * DAY_MS), dayOf(t)),
    deps.counters.bankBytes(scope),
    deps.planVerdicts(scope, now),
    deps.running.list('~', RUNNING_CAP),
  ]);
  const plans = { compliant: 0, late: 0, unprotected: 0 };
  for (const v of verdicts) plans[v] += 1;
  return {
    plans,
    jobsRunning: running.filter((j) => scope.kind === 'all' || j.projectId === scope.projectId).length,
    last24h: last24h(counters, t),
    days: daysFrom(counters, t),
    bankBytes,
  };
};
