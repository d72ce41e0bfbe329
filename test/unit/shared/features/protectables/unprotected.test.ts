import { InvalidInputError, ServiceError } from '../../../../../shared/kernel/errors';
import { emptySource, projectSource } from '../../../../../shared/features/protectables/sources';
import { listUnprotectedInstances } from '../../../../../shared/features/protectables/use-cases';
import { type DiscoveryContext, type InstanceSource, type InstanceSources, PROTECTABLE_TYPES } from '../../../../../shared/features/protectables/model';
import type { PlanSummary, ProjectPlanReader } from '../../../../../shared/features/plans/model';

const TABLE = 'AWS::DynamoDB::Table';
const INSTANCE = 'AWS::EC2::Instance';
const VOLUME = 'AWS::EC2::Volume';

/** An in-memory source that records the contexts it was asked with. */
const fakeSource = (type: string, ids: string[], dependents: Record<string, string[]> = {}, asked: DiscoveryContext[] = []): InstanceSource => ({
  notFoundReason: 'not here',
  list: async (ctx) => {
    asked.push(ctx);
    return ids.map((id) => ({ id, type, name: id, extra_info: null }));
  },
  show: async () => undefined,
  dependentsOf: async (_ctx, parent) => (dependents[parent.id] ?? []).map((id) => ({ id, type, name: id, extra_info: null })),
});

const sources = (asked: DiscoveryContext[] = []): InstanceSources => {
  const all: InstanceSources = Object.fromEntries(PROTECTABLE_TYPES.map((t) => [t, emptySource(t)]));
  all['OS::Keystone::Project'] = projectSource;
  all[TABLE] = fakeSource(TABLE, ['t-a', 't-b', 't-c', 't-d'], {}, asked);
  all[INSTANCE] = fakeSource(INSTANCE, ['i-1', 'i-2']);
  all[VOLUME] = fakeSource(VOLUME, ['vol-1', 'vol-2', 'vol-3'], { 'i-1': ['vol-1', 'vol-2'] });
  return all;
};

const plan = (projectId: string, resources: Array<{ type: string; id: string }>): PlanSummary => ({
  id: `plan-${projectId}-${resources.map((r) => r.id).join('-')}`,
  projectId,
  name: 'p',
  description: null,
  providerId: 'prov',
  status: 'suspended',
  resources: resources.map((r) => ({ ...r, name: r.id })),
  parameters: {},
});

/** The plans of every project; the reader answers only the asked project's, as the store does. */
const reader = (plans: PlanSummary[], calls: string[] = []): ProjectPlanReader => ({
  projectPlans: async (projectId) => {
    calls.push(projectId);
    return plans.filter((p) => p.projectId === projectId);
  },
});

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);
const all = { limit: 1000 };

describe('unprotected resources', () => {
  it('lists every instance when the project has no plan', async () => {
    expect(ids(await listUnprotectedInstances({ sources: sources(), plans: reader([]) }, 'p1', TABLE, all))).toEqual(['t-a', 't-b', 't-c', 't-d']);
  });

  it('leaves out what any plan of the project names', async () => {
    const plans = reader([
      plan('p1', [{ type: TABLE, id: 't-b' }]),
      plan('p1', [
        { type: TABLE, id: 't-d' },
        { type: INSTANCE, id: 'i-2' },
      ]),
    ]);
    expect(ids(await listUnprotectedInstances({ sources: sources(), plans }, 'p1', TABLE, all))).toEqual(['t-a', 't-c']);
    expect(ids(await listUnprotectedInstances({ sources: sources(), plans }, 'p1', INSTANCE, all))).toEqual(['i-1']);
  });

  it('counts a planned instance’s volumes as covered', async () => {
    const plans = reader([plan('p1', [{ type: INSTANCE, id: 'i-1' }])]);
    expect(ids(await listUnprotectedInstances({ sources: sources(), plans }, 'p1', VOLUME, all))).toEqual(['vol-3']);
  });

  it('asks a source that finds dependents in bulk once, with every planned parent', async () => {
    const asked: string[][] = [];
    const bulk = sources();
    bulk[VOLUME] = {
      ...bulk[VOLUME],
      dependentsOfAll: async (_ctx, parents) => {
        asked.push(parents.map((p) => p.id));
        return [{ id: 'vol-3', type: VOLUME, name: null, extra_info: null }];
      },
    };
    const plans = reader([
      plan('p1', [{ type: INSTANCE, id: 'i-1' }]),
      plan('p1', [
        { type: INSTANCE, id: 'i-2' },
        { type: TABLE, id: 't-a' },
      ]),
    ]);
    expect(ids(await listUnprotectedInstances({ sources: bulk, plans }, 'p1', VOLUME, all))).toEqual(['vol-1', 'vol-2']);
    expect(asked).toEqual([['i-1', 'i-2']]);
  });

  it('counts everything as covered once a plan names the project itself', async () => {
    const plans = reader([plan('p1', [{ type: 'OS::Keystone::Project', id: 'p1' }])]);
    expect(await listUnprotectedInstances({ sources: sources(), plans }, 'p1', TABLE, all)).toEqual([]);
    expect(await listUnprotectedInstances({ sources: sources(), plans }, 'p1', 'OS::Keystone::Project', all)).toEqual([]);
  });

  it('does not count another project’s plans', async () => {
    const calls: string[] = [];
    const plans = reader([plan('p2', [{ type: TABLE, id: 't-a' }]), plan('p2', [{ type: INSTANCE, id: 'i-1' }])], calls);
    expect(ids(await listUnprotectedInstances({ sources: sources(), plans }, 'p1', TABLE, all))).toEqual(['t-a', 't-b', 't-c', 't-d']);
    expect(ids(await listUnprotectedInstances({ sources: sources(), plans }, 'p1', VOLUME, all))).toEqual(['vol-1', 'vol-2', 'vol-3']);
    expect(calls).toEqual(['p1', 'p1']);
  });

  it('discovers as a member of the project, also for an admin', async () => {
    const asked: DiscoveryContext[] = [];
    await listUnprotectedInstances({ sources: sources(asked), plans: reader([]) }, 'p1', TABLE, all);
    expect(asked).toEqual([{ projectId: 'p1', isAdmin: false }]);
  });

  it('pages by id after the marker, among the unprotected only', async () => {
    const plans = reader([plan('p1', [{ type: TABLE, id: 't-b' }])]);
    const list = (page: { limit: number; marker?: string }) => listUnprotectedInstances({ sources: sources(), plans }, 'p1', TABLE, page);
    expect(ids(await list({ limit: 2 }))).toEqual(['t-a', 't-c']);
    expect(ids(await list({ limit: 2, marker: 't-c' }))).toEqual(['t-d']);
    expect(ids(await list({ limit: 2, marker: 't-d' }))).toEqual([]);
    expect(ids(await list({ limit: 2, marker: 'unknown' }))).toEqual([]);
  });

  it('refuses an unknown type with Karbor’s 400', async () => {
    await expect(listUnprotectedInstances({ sources: sources(), plans: reader([]) }, 'p1', 'OS::Foo::Bar', all)).rejects.toThrow(
      new InvalidInputError('Invalid input received: Invalid protectable type provided.'),
    );
  });

  it('answers a discovery failure with a 500 naming the type', async () => {
    const broken = sources();
    broken[TABLE] = { ...broken[TABLE], list: async () => Promise.reject(new Error('throttled')) };
    await expect(listUnprotectedInstances({ sources: broken, plans: reader([]) }, 'p1', TABLE, all)).rejects.toThrow(
      new ServiceError(`List unprotected resources of type ${TABLE} failed: throttled`),
    );
  });
});
