import type { Identity } from '../../../../../shared/kernel/identity';
import { ForbiddenError, InvalidInputError } from '../../../../../shared/kernel/errors';
import {
  deleteQuota,
  effectiveLimit,
  quotaValues,
  showDefaultQuota,
  showQuota,
  showQuotaClass,
  showQuotaDetail,
  updateQuota,
  updateQuotaClass,
} from '../../../../../shared/features/quotas/use-cases';
import type { QuotaDeps, QuotaOverrides, QuotaStore } from '../../../../../shared/features/quotas/model';

const CONFIGURED = { plans: 50, checkpoints: -1 };
const ADMIN: Identity = { userId: 'admin', projectId: 'p1', roles: ['admin'], isAdmin: true };
const MEMBER: Identity = { userId: 'alice', projectId: 'p1', roles: [], isAdmin: false };

/** An in-memory quota store: overrides by project, values by class, usage by project. */
const fakeStore = () => {
  const projects = new Map<string, QuotaOverrides>();
  const classes = new Map<string, QuotaOverrides>();
  const usage = new Map<string, Record<string, number>>();
  const store: QuotaStore = {
    projectLimits: async (p) => ({ own: projects.get(p) ?? {}, defaults: classes.get('default') ?? {} }),
    classLimits: async (c) => ({ own: classes.get(c) ?? {}, defaults: classes.get('default') ?? {} }),
    usage: async (p) => usage.get(p) ?? {},
    setProjectLimits: async (p, v) => void projects.set(p, { ...projects.get(p), ...v }),
    removeProjectLimits: async (p) => void projects.delete(p),
    setClassLimits: async (c, v) => void classes.set(c, { ...classes.get(c), ...v }),
  };
  return { store, projects, classes, usage };
};

const depsWith = (store: QuotaStore): QuotaDeps => ({ quotas: store, configured: () => CONFIGURED });

describe('quota value rules (docs/contract.md §10.2)', () => {
  it.each([
    [{ plans: 10 }, { plans: 10 }],
    [{ plans: '12' }, { plans: 12 }],
    [{ plans: ' -1 ' }, { plans: -1 }],
    [{ plans: '1_000' }, { plans: 1000 }],
    [
      { plans: true, checkpoints: false },
      { plans: 1, checkpoints: 0 },
    ],
    [{ plans: 0 }, { plans: 0 }],
    [{ checkpoints: -1, foo: 'bar', id: 'x', tenant_id: 'y' }, { checkpoints: -1 }],
    [{}, {}],
  ])('takes %j as %j', (input, expected) => {
    // Act
    const values = quotaValues(input);
    // Assess
    expect(values).toEqual(expected);
  });

  it.each([
    [{ plans: 'abc' }, "Quota 'abc' for plans should be integer."],
    [{ checkpoints: '1.5' }, "Quota '1.5' for checkpoints should be integer."],
    [{ plans: '' }, "Quota '' for plans should be integer."],
    [{ plans: -2 }, 'Quota limit must be -1 or greater.'],
    [{ plans: '-5' }, 'Quota limit must be -1 or greater.'],
    // Karbor checks every value is an integer before any limit.
    [{ plans: -2, checkpoints: 'x' }, "Quota 'x' for checkpoints should be integer."],
    [{ plans: 2147483648 }, 'Quota limit must be 2147483647 or less.'],
  ])('refuses %j with 400 "%s"', (input, message) => {
    // Act
    const act = () => quotaValues(input);
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(message);
  });
});

describe('quota use cases', () => {
  it('applies the project override, then the default class, then the configured default', async () => {
    // Prepare
    const fake = fakeStore();
    const deps = depsWith(fake.store);
    fake.classes.set('default', { plans: 8, checkpoints: 20 });
    fake.projects.set('p1', { plans: 3 });
    fake.projects.set('p2', { checkpoints: 2 });
    // Act
    const p1 = await showQuota(deps, ADMIN, 'p1');
    const p2 = await showQuota(deps, ADMIN, 'p2');
    fake.classes.delete('default');
    const unset = await showQuota(deps, ADMIN, 'other');
    // Assess
    expect(p1).toEqual({ plans: 3, checkpoints: 20 });
    expect(p2).toEqual({ plans: 8, checkpoints: 2 });
    expect(unset).toEqual(CONFIGURED);
    expect(await effectiveLimit(deps, 'p1', 'plans')).toBe(3);
    expect(await effectiveLimit(deps, 'p2', 'checkpoints')).toBe(2);
  });

  it('details limits with the usage counters and nothing reserved', async () => {
    // Prepare
    const fake = fakeStore();
    fake.usage.set('p1', { plans: 4 });
    // Act
    const detail = await showQuotaDetail(depsWith(fake.store), MEMBER, 'p1');
    // Assess
    expect(detail).toEqual({ plans: { limit: 50, in_use: 4, reserved: 0 }, checkpoints: { limit: -1, in_use: 0, reserved: 0 } });
  });

  it('refuses a member reading another project’s quota (403), but not its defaults', async () => {
    // Prepare
    const deps = depsWith(fakeStore().store);
    // Act
    const show = showQuota(deps, MEMBER, 'p2');
    const detail = showQuotaDetail(deps, MEMBER, 'p2');
    // Assess
    await expect(show).rejects.toThrow(ForbiddenError);
    await expect(detail).rejects.toThrow("Policy doesn't allow quota:get to be performed.");
    expect(await showDefaultQuota(deps, 'p2')).toEqual(CONFIGURED);
  });

  it('refuses names over 255 characters with 400', async () => {
    // Prepare
    const deps = depsWith(fakeStore().store);
    const long = 'x'.repeat(256);
    // Act / Assess
    await expect(showQuota(deps, ADMIN, long)).rejects.toThrow('Invalid project id provided.');
    await expect(updateQuota(deps, long, { plans: 1 })).rejects.toThrow(InvalidInputError);
    await expect(showQuotaClass(deps, long)).rejects.toThrow('Invalid quota class name provided.');
    expect(await showQuota(deps, ADMIN, 'x'.repeat(255))).toEqual(CONFIGURED);
  });

  it('updates only the given overrides and answers the effective limits', async () => {
    // Prepare
    const fake = fakeStore();
    const deps = depsWith(fake.store);
    await updateQuota(deps, 'p1', { checkpoints: 9 });
    // Act
    const limits = await updateQuota(deps, 'p1', { plans: '3', foo: 1 });
    // Assess
    expect(limits).toEqual({ plans: 3, checkpoints: 9 });
    expect(fake.projects.get('p1')).toEqual({ plans: 3, checkpoints: 9 });
  });

  it('deletes the overrides, so the project falls back to the default class', async () => {
    // Prepare
    const fake = fakeStore();
    const deps = depsWith(fake.store);
    fake.classes.set('default', { plans: 8 });
    fake.projects.set('p1', { plans: 3 });
    fake.usage.set('p1', { plans: 2 });
    // Act
    await deleteQuota(deps, 'p1');
    // Assess
    expect(await showQuotaDetail(deps, ADMIN, 'p1')).toMatchObject({ plans: { limit: 8, in_use: 2 } });
  });

  it('shows a class with the default class and configured values beneath it', async () => {
    // Prepare
    const fake = fakeStore();
    const deps = depsWith(fake.store);
    // Act
    const updated = await updateQuotaClass(deps, 'gold', { plans: 7 });
    await updateQuotaClass(deps, 'default', { checkpoints: 100 });
    // Assess
    expect(updated).toEqual({ plans: 7, checkpoints: -1 });
    expect(await showQuotaClass(deps, 'gold')).toEqual({ plans: 7, checkpoints: 100 });
    expect(await showQuotaClass(deps, 'default')).toEqual({ plans: 50, checkpoints: 100 });
    expect(await showDefaultQuota(deps, 'any')).toEqual({ plans: 50, checkpoints: 100 });
  });
});
