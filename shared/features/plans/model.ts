import { ConflictError } from '../../kernel/errors';
import type { ListRules, SortSpec, TextMatcher } from '../../kernel/list-options';
import type { ProviderCatalog } from '../providers/model';
import type { ProtectableCheck } from '../protectables/model';
import type { Clock, IdGen } from '../../kernel/ports';
import type { DestinationCatalog } from '../destinations/model';

/** Plan statuses (docs/decisions.md §2). */
type PlanStatus = 'suspended' | 'started';

/** One resource of a plan (Karbor's `resources` row: resource_id, resource_type, resource_name, extra_info). */
export interface PlanResource {
  id: string;
  type: string;
  name: string;
  /** Absent when the caller gave none (or null); `{}` is kept. */
  extra_info?: Record<string, unknown>;
}

export type PlanParameters = Record<string, Record<string, string> | null>;

/** A live plan as the domain sees it (timestamps in Karbor's `YYYY-MM-DDTHH:MM:SS.ffffff`, UTC). */
export interface Plan {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  providerId: string;
  status: PlanStatus;
  resources: PlanResource[];
  parameters: PlanParameters;
  /** Extension (docs/decisions.md §25): the destinations its copies go to; empty or absent: its provider's default. */
  destinations?: string[];
  createdAt: string;
  updatedAt: string;
  /** Bumped by every update; updates are conditional on it. */
  version: number;
}

/** Which plans a list reads. */
export type PlanScope = { kind: 'project'; projectId: string } | { kind: 'all' };

export interface PlanQuery {
  scope: PlanScope;
  /** The first sort key decides the order; created_at then id break ties in the same direction. */
  sort: SortSpec;
  /** Start after this plan (the marker, already looked up). */
  after?: Plan;
  offset: number;
  limit: number;
  /** Exact filters (any-of). */
  status?: string[];
  projectIds?: string[];
  /** Regex filters (unanchored search). */
  name?: TextMatcher;
  description?: TextMatcher;
}

export interface PlanPage {
  items: Plan[];
  /**
   * Set when the store stopped reading before the page was full (its read
   * budget for heavily filtered lists ran out): the id of the last plan it
   * read, to continue from.
   */
  resumeAfter?: string;
}

/**
 * The plan store port (shared/features/plans/store.ts implements it on DynamoDB).
 * Conditional failures come back as domain errors: QuotaExceededError on
 * create, NotFoundError / PlanChangedError on update, NotFoundError /
 * ConflictError (in use) on remove, TooLargeError when an item would not fit.
 */
export interface PlanStore {
  create(plan: Plan, quotaLimit: number): Promise<void>;
  /** The live plan with this id, in any project; undefined when unknown or deleted. */
  get(planId: string): Promise<Plan | undefined>;
  /** Writes `next` if the stored version is still `expectedVersion`; returns the stored result. */
  update(next: Plan, expectedVersion: number): Promise<Plan>;
  remove(plan: Plan, deletedAt: string): Promise<void>;
  list(query: PlanQuery): Promise<PlanPage>;
  /** The compliance items of these plans (one BatchGetItem per 100); plans without one are absent. */
  compliance(planIds: readonly string[]): Promise<Map<string, ComplianceRecord>>;
}

/** Per-project plan limit (docs/contract.md §10.1): -1 unlimited, 0 forbids creation. */
interface PlanQuota {
  planLimit(projectId: string): Promise<number>;
}

export interface PlanDeps {
  plans: PlanStore;
  providers: ProviderCatalog;
  quota: PlanQuota;
  /** The configured copy destinations a plan may name. */
  destinations: DestinationCatalog;
  clock: Clock;
  ids: IdGen;
}

/** Creating a plan or changing its resources also asks discovery. */
export interface PlanEditDeps extends PlanDeps {
  protectables: ProtectableCheck;
}

/** Another update won the race for this plan's version (the use case retries). */
export class PlanChangedError extends ConflictError {
  override name = 'PlanChangedError';
}

export const planListRules: ListRules = {
  // Deliberate difference: Karbor sorts by any column (500 on unknown ones); these
  // are the keys its client offers plus updated_at, each backed by an index.
  sortKeys: ['created_at', 'updated_at', 'id', 'name', 'status'],
  memberFilters: ['name', 'status', 'description'],
  adminFilters: ['project_id'],
  allTenants: true,
};

export interface CreatePlanInput {
  name?: string | null;
  description?: string | null;
  provider_id: string;
  parameters: Record<string, Record<string, string | number | boolean> | null>;
  resources?: Array<Record<string, unknown>>;
  destinations?: string[];
}

export interface UpdatePlanInput {
  name?: string | null;
  description?: string | null;
  status?: PlanStatus;
  resources?: Array<Record<string, unknown>>;
  destinations?: string[];
}

/**
 * What other features need of a plan (./deps.ts planLookups, over the store):
 * scheduled operations check a plan, checkpoints copy its resources.
 */
export interface PlanSummary {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  providerId: string;
  status: string;
  resources: PlanResource[];
  /** Plan parameters: `<type>` or `<type>#<id>` to a map of strings. */
  parameters: Record<string, Record<string, string> | null>;
  /** The destinations its copies go to (docs/decisions.md §25); empty or absent: its provider's default. */
  destinations?: string[];
}

export interface PlanLookup {
  /** The live (not deleted) plan of this project, or undefined. */
  getPlan(projectId: string, planId: string): Promise<PlanSummary | undefined>;
}

/** A project's plans for features that judge coverage (./deps.ts projectPlanReader; protectables' unprotected list). */
export interface ProjectPlanReader {
  /**
   * Every live plan of this project, oldest first, in pages of 100 (one
   * Query each); more than 1000 plans is a 400 (./use-cases.ts PROJECT_PLANS_CAP).
   */
  projectPlans(projectId: string): Promise<PlanSummary[]>;
}

/** Plans with their compliance for reports (./deps.ts judgedPlans; shared/features/reports). */
export interface JudgedPlanReader {
  /** A project's live plans, or every project's when `projectId` is undefined, judged now; too many is a 400 (./use-cases.ts). */
  judgedPlans(projectId?: string): Promise<JudgedPlan[]>;
}

/** A plan's compliance (docs/decisions.md §20). */
export type ComplianceStatus = 'compliant' | 'late' | 'unprotected';

/** What one scheduled operation leads its plan to expect, kept on the plan's compliance item. */
export interface ScheduleExpectation {
  operationId: string;
  /**
   * What the operation makes: `protect` (a protect or retention_protect, and
   * every expectation stored before drills) is met by a good checkpoint,
   * `verify` (a drill, docs/decisions.md §24) by a successful drill.
   */
  kind?: 'protect' | 'verify';
  triggerId: string;
  /** The longest gap between the trigger's runs plus its window (seconds). */
  intervalSeconds: number;
  /** ISO 8601: when the expectation starts (not before the operation was made, nor before the trigger could run). */
  since: string;
  /** ISO 8601: the trigger's end_time; nothing is expected after it. */
  until: string | null;
}

/**
 * The plan's compliance item (./transact.ts complianceKey): what the status is
 * computed from at read time, so show and list need no query per plan.
 */
export interface ComplianceRecord {
  expectations: ScheduleExpectation[];
  /** ISO 8601: when the plan's newest good checkpoint became available. */
  lastGoodAt: string | null;
  lastGoodCheckpointId: string | null;
  /** ISO 8601: when the plan's newest successful drill ended (docs/decisions.md §24); absent before the first. */
  lastVerifiedAt?: string | null;
  lastVerifiedCheckpointId?: string | null;
  /** The evaluator's last verdict (functions/compliance/evaluate.ts): an event is sent once per change. */
  evaluated: { late: boolean; at: string } | null;
}

export const EMPTY_COMPLIANCE: ComplianceRecord = { expectations: [], lastGoodAt: null, lastGoodCheckpointId: null, evaluated: null };

/** A plan's compliance at one moment (the view's `compliance` extension; times ISO 8601). */
export interface Compliance {
  status: ComplianceStatus;
  lastGoodAt: string | null;
  /** The governing interval (the shortest among the plan's live expectations); null without one. */
  expectedIntervalSeconds: number | null;
  /** When the plan became late; null unless late. */
  lateSince: string | null;
  /** When the plan's newest successful drill ended (docs/decisions.md §24); null before the first. */
  lastVerifiedAt: string | null;
}

/** A plan is late when no good checkpoint came within this many expected intervals. */
export const LATE_AFTER_INTERVALS = 2;

/** The governing expectation of one kind: the shortest interval (the earliest `since` breaks ties). */
const governingOf = (live: ScheduleExpectation[], kind: 'protect' | 'verify') =>
  live.filter((e) => (e.kind ?? 'protect') === kind).sort((a, b) => a.intervalSeconds - b.intervalSeconds || a.since.localeCompare(b.since))[0];

/** When the plan turns late under one expectation: LATE_AFTER_INTERVALS intervals after the later of what met it last and its start. */
const deadlineOf = (e: ScheduleExpectation, lastMet: string | null | undefined): number =>
  Math.max(lastMet ? Date.parse(lastMet) : -Infinity, Date.parse(e.since)) + LATE_AFTER_INTERVALS * e.intervalSeconds * 1000;

/**
 * Judges a plan at `now` (docs/decisions.md §20, §24):
 * 1. the live expectations are those whose trigger has not ended (`until` after now);
 * 2. the governing protect expectation is the shortest protect interval (the
 *    earliest `since` breaks ties), the governing drill one likewise among
 *    drills (`verify` scheduled operations);
 * 3. a suspended plan, or one with no live expectation, is never late:
 *    `compliant` with a good checkpoint, else `unprotected`;
 * 4. otherwise the plan is late once LATE_AFTER_INTERVALS protect intervals
 *    have passed since its newest good checkpoint, or LATE_AFTER_INTERVALS
 *    drill intervals since its newest successful drill (in both, since the
 *    expectation started, when that is later or there is none), whichever
 *    comes first: `late_since` is that moment. A late plan is `late` whether
 *    or not it ever had a good checkpoint. The interval shown is the
 *    protect one, the drill's for a plan with drills only.
 */
export const judgeCompliance = (plan: Pick<Plan, 'status'>, record: ComplianceRecord, now: Date): Compliance => {
  const t = now.getTime();
  const live = record.expectations.filter((e) => e.until === null || Date.parse(e.until) > t);
  const protect = governingOf(live, 'protect');
  const drill = governingOf(live, 'verify');
  const base: Compliance = {
    status: record.lastGoodAt === null ? 'unprotected' : 'compliant',
    lastGoodAt: record.lastGoodAt,
    expectedIntervalSeconds: (protect ?? drill)?.intervalSeconds ?? null,
    lateSince: null,
    lastVerifiedAt: record.lastVerifiedAt ?? null,
  };
  if ((!protect && !drill) || plan.status === 'suspended') return base;
  const deadline = Math.min(protect ? deadlineOf(protect, record.lastGoodAt) : Infinity, drill ? deadlineOf(drill, record.lastVerifiedAt) : Infinity);
  return t > deadline ? { ...base, status: 'late', lateSince: new Date(deadline).toISOString() } : base;
};

/** Every live plan's compliance status at `now`, of one project or of all (the overview, docs/decisions.md §23). */
export type PlanVerdicts = (scope: PlanScope, now: Date) => Promise<Compliance['status'][]>;

/** A plan as show, list, create and update answer it: with its compliance judged at the request's time. */
export interface JudgedPlan extends Plan {
  compliance: Compliance;
}

/** What the compliance evaluator reads of every plan (./deps.ts complianceFleet). */
export interface ComplianceFleet {
  /** Every live plan with its compliance item, in pages (one Query on the plan index and one BatchGetItem per page). */
  pages(): AsyncIterable<Array<{ plan: Plan; record: ComplianceRecord }>>;
  /**
   * Records the evaluator's verdict, only if the stored one is still `seen`
   * (so two evaluators racing send one event); false when another write came first.
   */
  markEvaluated(planId: string, seen: ComplianceRecord['evaluated'], next: NonNullable<ComplianceRecord['evaluated']>): Promise<boolean>;
}
