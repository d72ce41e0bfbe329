import type { Identity } from '../../kernel/identity';
import { ForbiddenError, InvalidInputError } from '../../kernel/errors';
import {
  QUOTA_RESOURCES,
  type QuotaResource,
  type QuotaLimits,
  type QuotaOverrides,
  DEFAULT_QUOTA_CLASS,
  MAX_QUOTA_NAME_LENGTH,
  MAX_QUOTA_LIMIT,
  type QuotaDeps,
  type QuotaDetail,
} from './model';

/** The first value set wins: own override, then the default class, then the configured default. */
const effectiveLimits = (own: QuotaOverrides, defaults: QuotaOverrides, configured: QuotaLimits): QuotaLimits => ({
  plans: own.plans ?? defaults.plans ?? configured.plans,
  checkpoints: own.checkpoints ?? defaults.checkpoints ?? configured.checkpoints,
});

/** Python's `int()` of a string: optional sign, digits (underscores between them), surrounding blanks. */
const INTEGER_TEXT = /^\s*[+-]?\d+(_\d+)*\s*$/;

const toInteger = (value: unknown): number | undefined => {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) return Number(value.trim().replace(/_/g, ''));
  return undefined;
};

const notInteger = (key: string, value: unknown) => new InvalidInputError(`Quota '${String(value)}' for ${key} should be integer.`);

const isResource = (key: string): key is QuotaResource => (QUOTA_RESOURCES as readonly string[]).includes(key);

/**
 * Karbor's value rules for a quota or quota-class PUT, in its order:
 * 1. every non-empty value of a quota key must be an integer ("Quota '<v>' for <key> should be integer.");
 * 2. then, key by key, the integer (booleans are 1/0, numeric strings parse) must be >= -1.
 * Keys other than plans/checkpoints are ignored. Deliberate differences: an
 * empty string is the integer 400 (Karbor: 500), and a limit above
 * MAX_QUOTA_LIMIT is a 400 (Karbor's database refuses it with a 500).
 */
export const quotaValues = (input: Record<string, unknown>): QuotaOverrides => {
  const entries = Object.entries(input).filter(([key]) => isResource(key)) as Array<[QuotaResource, unknown]>;
  for (const [key, value] of entries) {
    // Karbor skips falsy values (0, false, "") in its first pass.
    if (value !== 0 && value !== false && value !== '' && toInteger(value) === undefined) throw notInteger(key, value);
  }
  const values: QuotaOverrides = {};
  for (const [key, value] of entries) {
    const limit = toInteger(value);
    if (limit === undefined) throw notInteger(key, value);
    if (limit < -1) throw new InvalidInputError('Quota limit must be -1 or greater.');
    if (limit > MAX_QUOTA_LIMIT) throw new InvalidInputError(`Quota limit must be ${MAX_QUOTA_LIMIT} or less.`);
    values[key] = limit;
  }
  return values;
};

const checkTarget = (projectId: string) => {
  if (projectId.length > MAX_QUOTA_NAME_LENGTH) throw new InvalidInputError('Invalid project id provided.');
};

const checkClassName = (className: string) => {
  if (className.length > MAX_QUOTA_NAME_LENGTH) throw new InvalidInputError('Invalid quota class name provided.');
};

/** `quota:get` is admin_or_owner with the target as owner: a member reads only its own project's quota. */
const checkReader = (caller: Identity, projectId: string) => {
  if (!caller.isAdmin && caller.projectId !== projectId) throw new ForbiddenError("Policy doesn't allow quota:get to be performed.");
};

/** The limits that apply to a project now. */
const projectLimits = async (deps: QuotaDeps, projectId: string): Promise<QuotaLimits> => {
  const { own, defaults } = await deps.quotas.projectLimits(projectId);
  return effectiveLimits(own, defaults, deps.configured());
};

/** One resource's effective limit, for the create use cases (one read of the override and the default class). */
export const effectiveLimit = async (deps: QuotaDeps, projectId: string, resource: QuotaResource): Promise<number> =>
  (await projectLimits(deps, projectId))[resource];

/** `GET /quotas/{target}`. */
export const showQuota = async (deps: QuotaDeps, caller: Identity, projectId: string): Promise<QuotaLimits> => {
  checkTarget(projectId);
  checkReader(caller, projectId);
  return projectLimits(deps, projectId);
};

/** `GET /quotas/{target}/detail`: `in_use` is the usage counter; nothing is ever reserved here. */
export const showQuotaDetail = async (deps: QuotaDeps, caller: Identity, projectId: string): Promise<QuotaDetail> => {
  checkTarget(projectId);
  checkReader(caller, projectId);
  const [limits, usage] = await Promise.all([projectLimits(deps, projectId), deps.quotas.usage(projectId)]);
  const detail = (r: QuotaResource) => ({ limit: limits[r], in_use: usage[r] ?? 0, reserved: 0 });
  return { plans: detail('plans'), checkpoints: detail('checkpoints') };
};

/** The `default` class over the configured defaults. */
const defaultLimits = async (deps: QuotaDeps): Promise<QuotaLimits> => classLimits(deps, DEFAULT_QUOTA_CLASS);

/** `GET /quotas/{target}/defaults`: what a project without overrides gets (any caller, any target). */
export const showDefaultQuota = async (deps: QuotaDeps, projectId: string): Promise<QuotaLimits> => {
  checkTarget(projectId);
  return defaultLimits(deps);
};

/**
 * `PUT /quotas/{target}` (admin).
 * 1. the values follow Karbor's rules (quotaValues);
 * 2. the given overrides are stored, the others kept;
 * 3. the answer is the target's effective limits.
 */
export const updateQuota = async (deps: QuotaDeps, projectId: string, input: Record<string, unknown>): Promise<QuotaLimits> => {
  checkTarget(projectId);
  const values = quotaValues(input);
  if (Object.keys(values).length > 0) await deps.quotas.setProjectLimits(projectId, values);
  return projectLimits(deps, projectId);
};

/**
 * `DELETE /quotas/{target}` (admin): the target falls back to the default class.
 * Deliberate difference: Karbor also deletes the project's usage and
 * reservation rows, after which its `in_use` no longer matches what the
 * project holds; our counters change only with the rows they count
 * (docs/decisions.md §12), so they stay.
 */
export const deleteQuota = async (deps: QuotaDeps, projectId: string): Promise<void> => {
  checkTarget(projectId);
  await deps.quotas.removeProjectLimits(projectId);
};

const classLimits = async (deps: QuotaDeps, className: string): Promise<QuotaLimits> => {
  const { own, defaults } = await deps.quotas.classLimits(className);
  return effectiveLimits(own, defaults, deps.configured());
};

/** `GET /quota_classes/{name}`: the class's values, else the default class's, else the configured ones. */
export const showQuotaClass = async (deps: QuotaDeps, className: string): Promise<QuotaLimits> => {
  checkClassName(className);
  return classLimits(deps, className);
};

/** `PUT /quota_classes/{name}` (admin): Karbor's value rules; answers the class's values. */
export const updateQuotaClass = async (deps: QuotaDeps, className: string, input: Record<string, unknown>): Promise<QuotaLimits> => {
  checkClassName(className);
  const values = quotaValues(input);
  if (Object.keys(values).length > 0) await deps.quotas.setClassLimits(className, values);
  return classLimits(deps, className);
};
