/**
 * Quotas and quota classes (docs/contract.md §10.1-§10.3, docs/decisions.md §11).
 *
 * The effective limit of project P for resource R is P's override, else the
 * `default` quota class's value, else the configured default
 * (KARBOR_QUOTA_PLANS, KARBOR_QUOTA_CHECKPOINTS). Deliberate differences from
 * Karbor: quota targets are any project id string (Karbor: uuid-like only,
 * so noauth project names could not be targets), and the `default` class is
 * applied (Karbor stores classes but never uses them).
 */

/** Karbor's quota resources, in its view order. */
export const QUOTA_RESOURCES = ['plans', 'checkpoints'] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** A limit per resource: -1 unlimited, 0 forbids creation. */
export type QuotaLimits = Record<QuotaResource, number>;
/** The stored values of one project or class: only the resources set on it. */
export type QuotaOverrides = Partial<QuotaLimits>;
export type QuotaUsage = Partial<Record<QuotaResource, number>>;

/** The class whose values replace the configured defaults. */
export const DEFAULT_QUOTA_CLASS = 'default';
/** Karbor's `project_id` and `class_name` columns hold 255 characters; longer names are 400, not a 500. */
export const MAX_QUOTA_NAME_LENGTH = 255;
/** The largest limit Karbor's `hard_limit` (SQL INTEGER) column holds. */
export const MAX_QUOTA_LIMIT = 2147483647;

/**
 * The quota store port (shared/features/quotas/store.ts). Usage counters are written
 * only by the transactions that create or delete what they count.
 */
export interface QuotaStore {
  /** The overrides of a project and the `default` class's values. */
  projectLimits(projectId: string): Promise<{ own: QuotaOverrides; defaults: QuotaOverrides }>;
  /** A class's values and the `default` class's values. */
  classLimits(className: string): Promise<{ own: QuotaOverrides; defaults: QuotaOverrides }>;
  /** The project's usage counters (absent counters are 0). */
  usage(projectId: string): Promise<QuotaUsage>;
  /** Creates or changes the given overrides; other resources keep theirs. */
  setProjectLimits(projectId: string, values: QuotaOverrides): Promise<void>;
  /** Removes every override of the project; its usage counters stay. */
  removeProjectLimits(projectId: string): Promise<void>;
  setClassLimits(className: string, values: QuotaOverrides): Promise<void>;
}

export interface QuotaDeps {
  quotas: QuotaStore;
  /** The configured defaults (the runtime's settings). */
  configured(): QuotaLimits;
}

export type QuotaDetail = Record<QuotaResource, { limit: number; in_use: number; reserved: number }>;
