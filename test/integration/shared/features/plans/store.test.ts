import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, InvalidInputError, NotFoundError, QuotaExceededError, TooLargeError } from '../../../../../shared/kernel/errors';
import type { SortDir } from '../../../../../shared/kernel/list-options';
import { type Plan, PlanChangedError, type PlanQuery, type PlanStore } from '../../../../../shared/features/plans/model';
import { LEGACY_INDEX_ATTRIBUTES, planStore, toPlanItem } from '../../../../../shared/features/plans/store';
import { planKey, planUsageUpdate } from '../../../../../shared/features/plans/transact';
import { planLookup, projectPlanReader } from '../../../../../shared/features/plans/use-cases';
import { migratePlanIndex } from '../../../../../shared/features/plans/migrate';
import { quotaUsageKey } from '../../../../../shared/features/quotas/transact';
import { createTestTable, testClients } from '../../../../support/dynamo';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';

let seq = 0;
/** A plan with controllable sort values; timestamps are distinct unless given. */
const makePlan = (projectId: string, over: Partial<Plan> = {}): Plan => {
  seq += 1;
  const t = `${new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString().slice(0, 23)}000`;
  return {
    id: randomUUID(),
    projectId,
    name: `plan ${seq}`,
    description: null,
    providerId: NOOP,
    status: 'suspended',
    resources: [{ id: 'r1', type: 'OS::Nova::Server', name: 'vm', extra_info: { az: 'z1' } }],
    parameters: { 'OS::Nova::Server': { a: 'b' } },
    createdAt: t,
    updatedAt: t,
    version: 1,
    ...over,
  };
};

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Karbor's order: the key, then created_at, then id, all in the key's direction. */
const expectedOrder = (plans: Plan[], key: string, dir: SortDir): string[] => {
  const value = (p: Plan): string =>
    key === 'created_at' ? '' : key === 'updated_at' ? p.updatedAt : key === 'name' ? p.name : key === 'status' ? p.status : p.id;
  const sign = dir === 'asc' ? 1 : -1;
  return [...plans].sort((a, b) => sign * (bytes(value(a), value(b)) || bytes(a.createdAt, b.createdAt) || bytes(a.id, b.id))).map((p) => p.id);
};

/** Reads every page of a list the way a client follows next links (marker = last id). */
const readAll = async (store: PlanStore, query: Omit<PlanQuery, 'after' | 'offset'>): Promise<string[][]> => {
  const pages: string[][] = [];
  let after: Plan | undefined;
  for (;;) {
    const page = await store.list({ ...query, after, offset: 0 });
    pages.push(page.items.map((p) => p.id));
    if (page.items.length < query.limit) return pages;
    after = await store.get(page.items[page.items.length - 1].id);
  }
};

describe('plan store on DynamoDB Local', () => {
  let table: string;
  let store: PlanStore;
  const { doc } = testClients();
  const raw = async (id: string) => (await doc.send(new GetCommand({ TableName: table, Key: planKey(id) }))).Item;

  beforeAll(async () => {
    table = await createTestTable('plans');
    store = planStore(doc, table);
  });

  describe('create and get', () => {
    it('stores the seed’s columns with embedded resources and counts the plan in the project’s quota usage', async () => {
      // Prepare
      const plan = makePlan('p-create', { description: 'd' });
      // Act
      await store.create(plan, 50);
      const item = await raw(plan.id);
      const usage = (await doc.send(new GetCommand({ TableName: table, Key: quotaUsageKey('p-create', 'plans') }))).Item;
      // Assess
      expect(item).toMatchObject({
        entity: 'plan',
        schemaVersion: 1,
        id: plan.id,
        name: plan.name,
        description: 'd',
        provider_id: NOOP,
        project_id: 'p-create',
        status: 'suspended',
        parameters: '{"OS::Nova::Server":{"a":"b"}}',
        created_at: plan.createdAt,
        updated_at: plan.updatedAt,
        deleted_at: null,
        deleted: false,
        resources: [{ resource_id: 'r1', resource_type: 'OS::Nova::Server', resource_name: 'vm', extra_info: '{"az":"z1"}' }],
      });
      expect(usage).toMatchObject({ in_use: 1, project_id: 'p-create', resource: 'plans' });
      expect(await store.get(plan.id)).toEqual(plan);
    });

    it('refuses the plan over the quota limit in the same transaction, leaving nothing behind', async () => {
      // Prepare
      const first = makePlan('p-quota');
      const second = makePlan('p-quota');
      await store.create(first, 1);
      // Act
      const failure = store.create(second, 1);
      // Assess
      await expect(failure).rejects.toThrow(new QuotaExceededError('Maximum number of plans allowed (1) exceeded'));
      expect(await raw(second.id)).toBeUndefined();
    });

    it('counts concurrent creates in one project exactly, never beyond the limit', async () => {
      // Prepare
      const plans = Array.from({ length: 12 }, () => makePlan('p-race'));
      // Act
      const results = await Promise.allSettled(plans.map((p) => store.create(p, 10)));
      const usage = (await doc.send(new GetCommand({ TableName: table, Key: quotaUsageKey('p-race', 'plans') }))).Item;
      // Assess
      const created = results.filter((r) => r.status === 'fulfilled').length;
      const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof QuotaExceededError).length;
      expect([created, refused]).toEqual([10, 2]);
      expect(usage?.in_use).toBe(10);
    });

    it('refuses an item over DynamoDB’s size limit before writing', async () => {
      const huge = makePlan('p-size', { resources: [{ id: 'x', type: 't', name: 'n', extra_info: { blob: 'b'.repeat(400 * 1024) } }] });
      await expect(store.create(huge, -1)).rejects.toBeInstanceOf(TooLargeError);
      expect(await raw(huge.id)).toBeUndefined();
    });

    it('serves PlanLookup for the plan’s own project only', async () => {
      const plan = makePlan('p-lookup');
      await store.create(plan, -1);
      const lookup = planLookup(store);
      const own = await lookup.getPlan('p-lookup', plan.id);
      const other = await lookup.getPlan('p-else', plan.id);
      expect(own).toMatchObject({ id: plan.id, projectId: 'p-lookup', providerId: NOOP, resources: plan.resources, parameters: plan.parameters });
      expect(other).toBeUndefined();
      expect(await lookup.getPlan('p-lookup', 'not-a-uuid')).toBeUndefined();
    });

    it('reads every live plan of one project past a page of 100, oldest first, for the unprotected list', async () => {
      const mine = Array.from({ length: 101 }, () => makePlan('p-reader'));
      for (const plan of mine) await store.create(plan, -1);
      await store.create(makePlan('p-reader-else'), -1);
      const gone = makePlan('p-reader');
      await store.create(gone, -1);
      await store.remove(gone, '2026-02-01T00:00:00.000000');
      const read = await projectPlanReader(store).projectPlans('p-reader');
      expect(read.map((p) => p.id)).toEqual(mine.map((p) => p.id));
      expect(read[0]).toMatchObject({ projectId: 'p-reader', resources: mine[0].resources });
    });
  });

  describe('update', () => {
    it('writes when the version is current and refuses a stale version (no lost update)', async () => {
      // Prepare
      const plan = makePlan('p-update');
      await store.create(plan, -1);
      // Act
      const first = await store.update({ ...plan, name: 'one', version: 2 }, 1);
      const stale = store.update({ ...plan, description: 'two', version: 2 }, 1);
      // Assess
      expect(first.name).toBe('one');
      await expect(stale).rejects.toBeInstanceOf(PlanChangedError);
      expect((await store.get(plan.id))?.description).toBeNull();
    });

    it('keeps scheduledOperationIds when it updates the plan', async () => {
      const plan = makePlan('p-update');
      await store.create(plan, -1);
      await doc.send(new TransactWriteCommand({ TransactItems: [planUsageUpdate(table, 'p-update', plan.id, 'op-9', 'ADD')] }));
      await store.update({ ...plan, name: 'renamed', version: 2 }, 1);
      expect((await raw(plan.id))?.scheduledOperationIds).toEqual(new Set(['op-9']));
    });

    it('answers NotFoundError for a deleted plan', async () => {
      const plan = makePlan('p-update');
      await store.create(plan, -1);
      await store.remove(plan, plan.createdAt);
      await expect(store.update({ ...plan, version: 2 }, 1)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('remove', () => {
    it('leaves a tombstone without index keys, with a TTL, and gives the quota back', async () => {
      // Prepare
      const plan = makePlan('p-remove');
      await store.create(plan, -1);
      // Act
      await store.remove(plan, '2026-02-01T00:00:00.000000');
      const item = await raw(plan.id);
      const usage = (await doc.send(new GetCommand({ TableName: table, Key: quotaUsageKey('p-remove', 'plans') }))).Item;
      // Assess
      expect(item).toMatchObject({ deleted: true, deleted_at: '2026-02-01T00:00:00.000000', expiresAt: Date.UTC(2026, 1, 1) / 1000 + 30 * 86400 });
      expect(Object.keys(item ?? {}).filter((k) => k.startsWith('GSI'))).toEqual([]);
      expect(usage?.in_use).toBe(0);
      expect(await store.get(plan.id)).toBeUndefined();
      expect(await planLookup(store).getPlan('p-remove', plan.id)).toBeUndefined();
      await expect(store.remove(plan, plan.createdAt)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses while a scheduled operation uses the plan (409 naming it), and deletes once it is released', async () => {
      // Prepare
      const plan = makePlan('p-inuse');
      await store.create(plan, -1);
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: planKey(plan.id),
          UpdateExpression: 'ADD scheduledOperationIds :op',
          ExpressionAttributeValues: { ':op': new Set(['op-1', 'op-2']) },
        }),
      );
      // Act
      const refused = store.remove(plan, plan.createdAt);
      // Assess
      await expect(refused).rejects.toThrow(new ConflictError(`Plan ${plan.id} is used by scheduled operation(s) op-1, op-2; delete them first.`));
      expect(await store.get(plan.id)).toBeDefined();
      // Act
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [planUsageUpdate(table, 'p-inuse', plan.id, 'op-1', 'DELETE')],
        }),
      );
      await doc.send(new TransactWriteCommand({ TransactItems: [planUsageUpdate(table, 'p-inuse', plan.id, 'op-2', 'DELETE')] }));
      await store.remove(plan, plan.createdAt);
      // Assess
      expect(await store.get(plan.id)).toBeUndefined();
    });

    it('lets a scheduled operation mark only a live plan of its own project', async () => {
      const plan = makePlan('p-mark');
      await store.create(plan, -1);
      const wrongProject = doc.send(new TransactWriteCommand({ TransactItems: [planUsageUpdate(table, 'p-other', plan.id, 'op', 'ADD')] }));
      await expect(wrongProject).rejects.toMatchObject({ name: 'TransactionCanceledException' });
      await store.remove(plan, plan.createdAt);
      const deleted = doc.send(new TransactWriteCommand({ TransactItems: [planUsageUpdate(table, 'p-mark', plan.id, 'op', 'ADD')] }));
      await expect(deleted).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    });
  });

  describe('list', () => {
    const project = 'p-hundred';
    const plans: Plan[] = [];
    const NAMES = ['a', 'a b', 'a#', 'A', 'b', 'é', 'a\u0001x', 'zeta'];

    beforeAll(async () => {
      // 100 plans: repeated names and statuses, some sharing created_at, updated_at out of creation order.
      for (let i = 0; i < 100; i += 1) {
        const base = makePlan(project, {
          name: NAMES[i % NAMES.length],
          status: i % 3 === 0 ? 'started' : 'suspended',
          description: i % 4 === 0 ? `desc ${i}` : null,
        });
        const plan = {
          ...base,
          createdAt: i % 10 === 0 && plans.length > 0 ? plans[plans.length - 1].createdAt : base.createdAt,
          updatedAt: `${new Date(Date.UTC(2026, 5, 1, 0, 0, (i * 37) % 100)).toISOString().slice(0, 23)}000`,
        };
        plans.push(plan);
        await store.create(plan, -1);
      }
      // Another project's plans must never leak into this project's pages.
      await store.create(makePlan('p-neighbour'), -1);
    });

    it.each((['created_at', 'updated_at', 'name', 'status', 'id'] as const).flatMap((key) => (['asc', 'desc'] as const).map((dir) => [key, dir] as const)))(
      'pages through 100 plans by %s %s in Karbor’s order',
      async (key, dir) => {
        // Act
        const pages = await readAll(store, { scope: { kind: 'project', projectId: project }, sort: { key, dir }, limit: 7 });
        // Assess
        expect(pages.length).toBe(15);
        expect(pages.flat()).toEqual(expectedOrder(plans, key, dir));
      },
    );

    it('pages across every project for all_tenants', async () => {
      const pages = await readAll(store, { scope: { kind: 'all' }, sort: { key: 'name', dir: 'asc' }, limit: 50 });
      const ids = pages.flat();
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(plans.map((p) => p.id)));
      expect(ids.length).toBeGreaterThan(plans.length);
    });

    it('filters by status (any-of), name and description regex, filling each page', async () => {
      // Act
      const started = await readAll(store, {
        scope: { kind: 'project', projectId: project },
        sort: { key: 'created_at', dir: 'asc' },
        limit: 4,
        status: ['started'],
      });
      const named = await store.list({
        scope: { kind: 'project', projectId: project },
        sort: { key: 'id', dir: 'asc' },
        offset: 0,
        limit: 1000,
        name: (v) => /^a /.test(v),
        description: (v) => v.includes('desc'),
      });
      // Assess
      expect(started.flat()).toEqual(
        expectedOrder(
          plans.filter((p) => p.status === 'started'),
          'created_at',
          'asc',
        ),
      );
      expect(started.slice(0, -1).every((page) => page.length === 4)).toBe(true);
      expect(named.items.map((p) => p.id)).toEqual(
        expectedOrder(
          plans.filter((p) => p.name === 'a b' && p.description?.includes('desc')),
          'id',
          'asc',
        ),
      );
    });

    it('lists the good plans around one an older version left unreadable, logging its key only', async () => {
      // Prepare: three plans of a fresh project, the middle one's parameters broken in place
      const p = 'p-broken';
      const [a, b, c] = [makePlan(p), makePlan(p), makePlan(p)];
      for (const plan of [a, b, c]) await store.create(plan, 50);
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: planKey(b.id),
          UpdateExpression: 'SET #p = :x',
          ExpressionAttributeNames: { '#p': 'parameters' },
          ExpressionAttributeValues: { ':x': '{not json' },
        }),
      );
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      // Act
      const page = await store.list({ scope: { kind: 'project', projectId: p }, sort: { key: 'created_at', dir: 'asc' }, offset: 0, limit: 10 });
      // Assess
      expect(page.items.map((x) => x.id)).toEqual([a.id, c.id]);
      expect(errors.mock.calls.map(([line]) => String(line))).toEqual([expect.stringContaining(b.id)]);
      expect(String(errors.mock.calls[0][0])).not.toContain('not json');
      errors.mockRestore();
    });

    it('skips offset plans after the marker', async () => {
      const order = expectedOrder(plans, 'created_at', 'desc');
      const after = await store.get(order[9]);
      const page = await store.list({ scope: { kind: 'project', projectId: project }, sort: { key: 'created_at', dir: 'desc' }, after, offset: 5, limit: 3 });
      expect(page.items.map((p) => p.id)).toEqual(order.slice(15, 18));
    });

    it('stops a heavily filtered read at its budget and says where to resume', async () => {
      // Prepare
      const tight = planStore(doc, table, { readBudget: 10 });
      // Act
      const page = await tight.list({
        scope: { kind: 'project', projectId: project },
        sort: { key: 'created_at', dir: 'asc' },
        offset: 0,
        limit: 5,
        projectIds: ['nobody'],
      });
      // Assess
      expect(page.items).toEqual([]);
      expect(page.resumeAfter).toBeDefined();
      expect(plans.map((p) => p.id)).toContain(page.resumeAfter);
    });

    it('continues after an admin’s marker from another project by its sort values', async () => {
      // Prepare: a marker plan of the neighbour project, created between this project's 55th and 56th plans (distinct times)
      const order = expectedOrder(plans, 'created_at', 'asc');
      const before = plans.find((p) => p.id === order[54])!;
      const marker = { ...makePlan('p-neighbour'), createdAt: `${before.createdAt.slice(0, 23)}500`, id: 'ffffffff-0000-4000-8000-000000000000' };
      // Act
      const page = await store.list({
        scope: { kind: 'project', projectId: project },
        sort: { key: 'created_at', dir: 'asc' },
        after: marker,
        offset: 0,
        limit: 3,
      });
      // Assess
      expect(page.items.map((p) => p.id)).toEqual(order.slice(55, 58));
    });

    it('sorts at most its cap of plans in memory: beyond, a 400 that names what still works; created_at pages at any size', async () => {
      // Prepare: a cap below this project's 100 plans
      const capped = planStore(doc, table, { sortCap: 99 });
      const query = { scope: { kind: 'project' as const, projectId: project }, offset: 0, limit: 5 };
      // Act
      const byName = await capped.list({ ...query, sort: { key: 'name', dir: 'asc' } }).catch((e: unknown) => e);
      const everyProject = await capped.list({ ...query, scope: { kind: 'all' }, sort: { key: 'created_at', dir: 'desc' } }).catch((e: unknown) => e);
      const byCreation = await capped.list({ ...query, sort: { key: 'created_at', dir: 'desc' } });
      const atCap = await planStore(doc, table, { sortCap: 100 }).list({ ...query, sort: { key: 'name', dir: 'asc' } });
      // Assess
      expect(byName).toEqual(new InvalidInputError("More than 99 plans to sort by name; sort by created_at, which serves a project's plans at any size."));
      expect(byName).toBeInstanceOf(InvalidInputError);
      expect(everyProject).toBeInstanceOf(InvalidInputError);
      expect(String(everyProject)).toContain("More than 99 plans to sort across projects; list one project's plans (project_id filter) instead.");
      expect(byCreation.items.map((p) => p.id)).toEqual(expectedOrder(plans, 'created_at', 'desc').slice(0, 5));
      expect(atCap.items.map((p) => p.id)).toEqual(expectedOrder(plans, 'name', 'asc').slice(0, 5));
    });
  });

  describe('migration from the per-order indexes', () => {
    /** A plan item as the earlier design stored it: ten index entries, GSI1..GSI5 in the project's partition, GSI6..GSI10 in PLANS. */
    const legacyItem = (plan: Plan) => {
      const item: Record<string, unknown> = { ...toPlanItem(plan) };
      for (const [i, attr] of ['GSI1PK', 'GSI1SK', ...LEGACY_INDEX_ATTRIBUTES].entries()) {
        item[attr] = attr.endsWith('PK') ? (i < 10 ? `PLANS#${plan.projectId}` : 'PLANS') : `old-${i}`;
      }
      return item;
    };
    const indexAttrs = (item: Record<string, unknown> | undefined) =>
      Object.keys(item ?? {})
        .filter((k) => /^GSI\d+(PK|SK)$/.test(k))
        .sort();
    const listed = async (projectId: string) =>
      (await store.list({ scope: { kind: 'project', projectId }, sort: { key: 'created_at', dir: 'asc' }, offset: 0, limit: 50 })).items.map((p) => p.id);

    it('moves every live plan to its one index entry, skips tombstones, and is idempotent', async () => {
      // Prepare: two legacy plans, one current plan, one deleted plan
      const [a, b, current, gone] = [makePlan('p-migrate'), makePlan('p-migrate'), makePlan('p-migrate'), makePlan('p-migrate')];
      await doc.send(new PutCommand({ TableName: table, Item: legacyItem(a) }));
      await doc.send(new PutCommand({ TableName: table, Item: legacyItem(b) }));
      await store.create(current, -1);
      await store.create(gone, -1);
      await store.remove(gone, '2026-02-01T00:00:00.000000');
      const before = await listed('p-migrate');
      // Act
      const first = await migratePlanIndex(doc, table);
      const second = await migratePlanIndex(doc, table);
      // Assess
      expect(before).toEqual([current.id]);
      expect(await listed('p-migrate')).toEqual([a.id, b.id, current.id]);
      expect(indexAttrs(await raw(a.id))).toEqual(['GSI1PK', 'GSI1SK']);
      expect(indexAttrs(await raw(gone.id))).toEqual([]);
      expect(first.migrated).toBeGreaterThanOrEqual(2);
      expect(second.migrated).toBe(0);
      expect(second.plans).toBe(first.plans);
    });

    it('migrates a legacy plan when it is updated', async () => {
      // Prepare
      const plan = makePlan('p-migrate-update');
      await doc.send(new PutCommand({ TableName: table, Item: legacyItem(plan) }));
      // Act
      await store.update({ ...plan, name: 'renamed', version: 2 }, 1);
      // Assess
      expect(indexAttrs(await raw(plan.id))).toEqual(['GSI1PK', 'GSI1SK']);
      expect(await listed('p-migrate-update')).toEqual([plan.id]);
    });
  });
});
