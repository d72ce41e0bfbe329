import { ConflictError } from '../../kernel/errors';
import type { ListRules, SortSpec, TextMatcher } from '../../kernel/list-options';
import type { ProviderCatalog } from '../providers/model';
import type { ProtectableCheck } from '../protectables/model';
import type { Clock, IdGen } from '../../kernel/ports';

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
}

/** Per-project plan limit (docs/contract.md §10.1): -1 unlimited, 0 forbids creation. */
interface PlanQuota {
  planLimit(projectId: string): Promise<number>;
}

export interface PlanDeps {
  plans: PlanStore;
  providers: ProviderCatalog;
  quota: PlanQuota;
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
}

export interface UpdatePlanInput {
  name?: string | null;
  description?: string | null;
  status?: PlanStatus;
  resources?: Array<Record<string, unknown>>;
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
