import type { ActiveJobIndex } from '../jobs/model';
import type { Clock } from '../../kernel/ports';
import type { PlanScope, PlanVerdicts } from '../plans/model';
import type { JobKindCounted, JobOutcome } from './transact';

/**
 * The overview (docs/decisions.md §23): what an operator reads first, from
 * figures recorded as jobs finish (./transact.ts) and the indexes that exist
 * anyway, never by listing the bank, the jobs or the operation logs.
 */

/** Days the overview shows, today included. */
export const OVERVIEW_DAYS = 30;

export type OutcomeCounts = Record<JobOutcome, number>;

/** One day of counters as stored (every shard summed): `<kind>_<outcome>` and `h<HH>_<outcome>` numbers. */
export interface DayCounters {
  day: string;
  counts: Record<string, number>;
}

/** Where the overview's figures are kept: one scope is one project, or `all` (every project). */
export type OverviewScope = PlanScope;

/** The overview's reads of its own items (./store.ts). */
export interface OverviewCounters {
  /** The daily counters of `fromDay` to `toDay` (yyyy-mm-dd, inclusive), one Query; days without jobs are absent. */
  days(scope: OverviewScope, fromDay: string, toDay: string): Promise<DayCounters[]>;
  /** The bank's size as protects and deletes recorded it, one Query; null when no job recorded any. */
  bankBytes(scope: OverviewScope): Promise<number | null>;
}

/** The projects that had jobs end on some days, from the all-projects day counters (the daily reports, docs/decisions.md §22). */
export interface DayProjects {
  /** Every project named by the all-projects counters of `fromDay` to `toDay` (inclusive): one Query of at most SHARDS items a day. */
  projectsOn(fromDay: string, toDay: string): Promise<string[]>;
}

export type PlanVerdict = Awaited<ReturnType<PlanVerdicts>>[number];

export interface OverviewDeps {
  counters: OverviewCounters;
  /** Every live plan's compliance status at `now` (the plan index and its compliance items, as plan lists judge them). */
  planVerdicts: PlanVerdicts;
  running: ActiveJobIndex;
  clock: Clock;
}

export interface OverviewDay {
  date: string;
  counts: Record<JobKindCounted, OutcomeCounts>;
}

export interface Overview {
  plans: Record<PlanVerdict, number>;
  jobsRunning: number;
  last24h: OutcomeCounts;
  days: OverviewDay[];
  bankBytes: number | null;
}
