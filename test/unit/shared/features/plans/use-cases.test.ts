import { ConflictError, InvalidInputError, NotFoundError, QuotaExceededError } from '../../../../../shared/kernel/errors';
import type { ListOptions } from '../../../../../shared/kernel/list-options';
import { karborTime } from '../../../../../shared/kernel/karbor-text';
import { createPlan, deletePlan, listPlans, planLookup, projectPlanReader, showPlan, updatePlan } from '../../../../../shared/features/plans/use-cases';
import {
  type ComplianceRecord,
  type Plan,
  PlanChangedError,
  type PlanEditDeps,
  type PlanQuery,
  type PlanStore,
} from '../../../../../shared/features/plans/model';
import { planView } from '../../../../../shared/features/plans/views';
import { loadProviders } from '../../../../../shared/features/providers/registry';
import { compileRegexFilter } from '../../../../../shared/kernel/regex-filter';
import { catalogOf } from '../../../../../shared/features/destinations/model';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const AWS = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const ID = '0d6e0a47-6c1a-4d3e-8a53-000000000001';
const OTHER_ID = '0d6e0a47-6c1a-4d3e-8a53-000000000002';
const alice = { projectId: 'p1', isAdmin: false };
const admin = { projectId: 'p1', isAdmin: true };

/** An in-memory plan store that records what it was asked. */
class FakePlanStore implements PlanStore {
  plans = new Map<string, Plan>();
  created: Array<{ plan: Plan; quotaLimit: number }> = [];
  removed: string[] = [];
  queries: PlanQuery[] = [];
  /** Versions to refuse once each (simulates a concurrent writer). */
  raceOn: number[] = [];

  async create(plan: Plan, quotaLimit: number) {
    this.created.push({ plan, quotaLimit });
    this.plans.set(plan.id, plan);
  }
  async get(id: string) {
    return this.plans.get(id);
  }
  async update(next: Plan, expectedVersion: number) {
    const at = this.raceOn.indexOf(expectedVersion);
    if (at >= 0) {
      this.raceOn.splice(at, 1);
      throw new PlanChangedError('raced');
    }
    this.plans.set(next.id, next);
    return next;
  }
  async remove(plan: Plan) {
    this.removed.push(plan.id);
    this.plans.delete(plan.id);
  }
  async list(query: PlanQuery) {
    this.queries.push(query);
    return { items: [...this.plans.values()] };
  }
  records = new Map<string, ComplianceRecord>();
  complianceReads: string[][] = [];
  async compliance(ids: readonly string[]) {
    this.complianceReads.push([...ids]);
    return new Map([...this.records].filter(([id]) => ids.includes(id)));
  }
}

const stored = (over: Partial<Plan> = {}): Plan => ({
  id: ID,
  projectId: 'p1',
  name: 'plan',
  description: null,
  providerId: NOOP,
  status: 'suspended',
  resources: [{ id: 'r', type: 'OS::Nova::Server', name: 'vm' }],
  parameters: {},
  createdAt: '2026-01-01T00:00:00.000000',
  updatedAt: '2026-01-01T00:00:00.000000',
  version: 1,
  ...over,
});

const listOptions = (over: Partial<ListOptions> = {}): ListOptions => ({
  limit: 1000,
  offset: 0,
  sort: [],
  filters: {},
  allTenants: false,
  ...over,
});

describe('plans use cases', () => {
  let store: FakePlanStore;
  let deps: PlanEditDeps;
  let limit: number;
  /** Resources (`<type>#<id>`) discovery does not show the asking project, and what it was asked. */
  let hidden: Set<string>;
  let asked: Array<{ projectId: string; keys: string[] }>;
  beforeEach(() => {
    store = new FakePlanStore();
    limit = 50;
    hidden = new Set();
    asked = [];
    const providers = loadProviders();
    deps = {
      plans: store,
      providers: { all: () => providers },
      quota: { planLimit: async () => limit },
      destinations: catalogOf([{ name: 'dr', region: 'eu-west-1', isDefault: false }]),
      clock: { now: () => new Date(Date.UTC(2026, 10, 25, 12, 0, 0, 123)) },
      ids: { newId: () => ID },
      protectables: {
        unseen: async (projectId, resources) => {
          asked.push({ projectId, keys: resources.map((r) => `${r.type}#${r.id}`) });
          const r = resources.find((x) => hidden.has(`${x.type}#${x.id}`));
          return r && { type: r.type, id: r.id, reason: 'no such table' };
        },
      },
    };
  });

  describe('createPlan', () => {
    const input = {
      name: 'p',
      provider_id: NOOP,
      parameters: {},
      resources: [{ id: 5, type: 'OS::Nova::Server', name: true, extra_info: { k: 1 }, junk: 'x' }] as Array<Record<string, unknown>>,
    };

    it('stores a suspended plan of the caller’s project with coerced resources and Karbor timestamps', async () => {
      // Act
      const { compliance, ...plan } = await createPlan(deps, alice, input);
      // Assess
      expect(compliance).toEqual({ status: 'unprotected', lastGoodAt: null, expectedIntervalSeconds: null, lateSince: null, lastVerifiedAt: null });
      expect(plan).toEqual({
        id: ID,
        projectId: 'p1',
        name: 'p',
        description: null,
        providerId: NOOP,
        status: 'suspended',
        resources: [{ id: '5', type: 'OS::Nova::Server', name: 'True', extra_info: { k: 1 } }],
        parameters: {},
        destinations: [],
        createdAt: '2026-11-25T12:00:00.123000',
        updatedAt: '2026-11-25T12:00:00.123000',
        version: 1,
      });
      expect(store.created).toEqual([{ plan, quotaLimit: 50 }]);
    });

    it('stores the configured destinations a plan names, once each, and refuses an unknown one (docs/decisions.md §25)', async () => {
      // Act
      const plan = await createPlan(deps, alice, { ...input, destinations: ['dr', 'dr'] });
      const unknown = createPlan(deps, alice, { ...input, destinations: ['dr', 'moon'] });
      // Assess
      expect(plan.destinations).toEqual(['dr']);
      await expect(unknown).rejects.toThrow(new InvalidInputError('Invalid input received: The destination moon is not configured.'));
      expect(store.created).toHaveLength(1);
    });

    it.each([
      [[], 'Invalid input received: list resources must be provided when creating a plan.'],
      [undefined, 'Invalid input received: list resources must be provided when creating a plan.'],
      [[{ id: 'a', type: 'b' }], 'Invalid input received: Resource in list must be a dict when creating a plan.The keys of resource are id,type and name.'],
      [
        [{ id: null, type: 'b', name: 'c' }],
        'Invalid input received: Resource in list must be a dict when creating a plan.The keys of resource are id,type and name.',
      ],
      [
        [{ id: 'a', type: 'b', name: 'c', extra_info: 'text' }],
        'Invalid input received: Resource in list must be a dict when creating a plan.The keys of resource are id,type and name.',
      ],
    ])('refuses resources %j', async (resources, message) => {
      await expect(createPlan(deps, alice, { ...input, resources: resources as never })).rejects.toThrow(new InvalidInputError(message));
      expect(store.created).toEqual([]);
    });

    it.each([
      [NOOP, { 'OS::Nova::Server': { x: 'y' } }, 'The protect property of plan parameters is invalid.'],
      [NOOP, { 'OS::Nope': {} }, 'The key of plan parameters is invalid.'],
      [NOOP, { 'OS::Nova::Server#1234': {} }, 'The resource_id must be a uuid.'],
      [NOOP, { [`OS::Nova::Server#${ID}#x`]: {} }, 'The key of plan parameters is invalid.'],
      [AWS, { 'AWS::DynamoDB::Table': { snapshot_name: 'x' } }, 'The protect property of plan parameters is invalid.'],
      ['9b1d0f4e-7a3c-4d2e-9f55-000000000001', {}, 'The provider could not be found.'],
    ])('refuses provider %s with parameters %j', async (providerId, parameters, message) => {
      await expect(createPlan(deps, alice, { ...input, provider_id: providerId, parameters: parameters as never })).rejects.toThrow(
        new InvalidInputError(message),
      );
    });

    it('accepts types the provider has no schema for, null values and allowed properties, coercing leaves to strings', async () => {
      const plan = await createPlan(deps, alice, {
        ...input,
        resources: [{ id: 't1', type: 'AWS::DynamoDB::Table', name: 't1' }],
        provider_id: AWS,
        parameters: { 'OS::Nova::Server': { any: 1 }, 'AWS::EC2::Instance': { no_reboot: true }, [`AWS::EC2::Volume#${ID}`]: null },
      });
      expect(plan.parameters).toEqual({ 'OS::Nova::Server': { any: '1' }, 'AWS::EC2::Instance': { no_reboot: 'True' }, [`AWS::EC2::Volume#${ID}`]: null });
    });

    it('refuses a resource type the provider has no plugin for, naming it, before asking discovery', async () => {
      // Act
      const aws = createPlan(deps, alice, { ...input, provider_id: AWS });
      const unknownType = createPlan(deps, alice, { ...input, resources: [{ id: 'x', type: 't', name: 'n' }] });
      // Assess
      await expect(aws).rejects.toThrow(
        new InvalidInputError('Invalid input received: The provider AWS Provider has no protection plugin for resource type OS::Nova::Server.'),
      );
      await expect(unknownType).rejects.toThrow(/has no protection plugin for resource type t\.$/);
      expect(asked).toEqual([]);
      expect(store.created).toEqual([]);
    });

    it('refuses a resource the caller’s project cannot see through discovery, naming it; an admin is checked as its project', async () => {
      // Prepare
      hidden.add('AWS::DynamoDB::Table#theirs');
      const resources = [
        { id: 'mine', type: 'AWS::DynamoDB::Table', name: 'mine' },
        { id: 'theirs', type: 'AWS::DynamoDB::Table', name: 'theirs' },
      ];
      // Act
      const refused = createPlan(deps, admin, { ...input, provider_id: AWS, resources });
      // Assess
      await expect(refused).rejects.toThrow(
        new InvalidInputError('Invalid input received: The resource theirs of type AWS::DynamoDB::Table could not be found in project p1: no such table.'),
      );
      expect(asked).toEqual([{ projectId: 'p1', keys: ['AWS::DynamoDB::Table#mine', 'AWS::DynamoDB::Table#theirs'] }]);
      expect(store.created).toEqual([]);
    });

    it('refuses every plan when the quota is 0, and passes the limit to the store otherwise', async () => {
      limit = 0;
      await expect(createPlan(deps, alice, input)).rejects.toThrow(new QuotaExceededError('Maximum number of plans allowed (0) exceeded'));
      limit = -1;
      await createPlan(deps, alice, input);
      expect(store.created[0].quotaLimit).toBe(-1);
    });
  });

  describe('showPlan', () => {
    it('answers 400 for a malformed id and 404 for an unknown or foreign plan (admins see all)', async () => {
      store.plans.set(OTHER_ID, stored({ id: OTHER_ID, projectId: 'p2' }));
      await expect(showPlan(deps, alice, 'x')).rejects.toThrow(new InvalidInputError('Invalid plan id provided.'));
      await expect(showPlan(deps, alice, ID)).rejects.toThrow(new NotFoundError(`Plan ${ID} could not be found.`));
      await expect(showPlan(deps, alice, OTHER_ID)).rejects.toThrow(new NotFoundError(`Plan ${OTHER_ID} could not be found.`));
      expect((await showPlan(deps, admin, OTHER_ID)).id).toBe(OTHER_ID);
    });
  });

  describe('updatePlan', () => {
    it('checks the body before the id, and the id before the lookup', async () => {
      await expect(updatePlan(deps, alice, 'x', {})).rejects.toThrow(new InvalidInputError('Missing updated parameters in request body.'));
      await expect(updatePlan(deps, alice, 'x', { resources: [{ id: 'a' }] })).rejects.toThrow(/Resource in list must be a dict/);
      await expect(updatePlan(deps, alice, 'x', { name: 'n' })).rejects.toThrow(new InvalidInputError('Invalid plan id provided.'));
      await expect(updatePlan(deps, alice, ID, { name: 'n' })).rejects.toThrow(new NotFoundError(`Plan ${ID} could not be found.`));
    });

    it('changes only the given fields, bumps the version and updated_at', async () => {
      store.plans.set(ID, stored());
      const { compliance, ...plan } = await updatePlan(deps, alice, ID, { description: 'd', resources: [] });
      expect(plan).toEqual({ ...stored(), description: 'd', resources: [], version: 2, updatedAt: '2026-11-25T12:00:00.123000' });
      // Its compliance item is read after the write (one BatchGetItem).
      expect(store.complianceReads).toEqual([[ID]]);
      expect(compliance.status).toBe('unprotected');
    });

    it('changes the destinations of a suspended plan to configured ones only', async () => {
      // Prepare
      store.plans.set(ID, stored());
      // Act
      const plan = await updatePlan(deps, alice, ID, { destinations: ['dr'] });
      const unknown = updatePlan(deps, alice, ID, { destinations: ['moon'] });
      // Assess
      expect(plan.destinations).toEqual(['dr']);
      await expect(unknown).rejects.toThrow(new InvalidInputError('Invalid input received: The destination moon is not configured.'));
    });

    it('checks new resources against the plan’s provider and project, not the caller’s; clearing or a status change asks nothing', async () => {
      // Prepare
      store.plans.set(ID, stored({ projectId: 'p2', providerId: AWS, resources: [{ id: 'a', type: 'AWS::DynamoDB::Table', name: 'a' }] }));
      hidden.add('AWS::DynamoDB::Table#c');
      // Act
      const ok = await updatePlan(deps, admin, ID, { resources: [{ id: 'b', type: 'AWS::DynamoDB::Table', name: 'b' }] });
      const unseen = updatePlan(deps, admin, ID, { resources: [{ id: 'c', type: 'AWS::DynamoDB::Table', name: 'c' }] });
      const wrongType = updatePlan(deps, admin, ID, { resources: [{ id: 'p2', type: 'OS::Keystone::Project', name: 'p2' }] });
      // Assess
      expect(ok.resources).toEqual([{ id: 'b', type: 'AWS::DynamoDB::Table', name: 'b' }]);
      await expect(unseen).rejects.toThrow(/The resource c of type AWS::DynamoDB::Table could not be found in project p2/);
      await expect(wrongType).rejects.toThrow(/has no protection plugin for resource type OS::Keystone::Project/);
      expect(store.plans.get(ID)?.resources).toEqual([{ id: 'b', type: 'AWS::DynamoDB::Table', name: 'b' }]);
      asked = [];
      await updatePlan(deps, admin, ID, { status: 'started' });
      store.plans.set(ID, stored({ projectId: 'p2' }));
      await updatePlan(deps, admin, ID, { resources: [] });
      expect(asked).toEqual([]);
      expect(store.plans.get(ID)?.resources).toEqual([]);
    });

    it('lets the status change in any status but nothing else while started (docs/decisions.md §2)', async () => {
      store.plans.set(ID, stored({ status: 'started' }));
      await expect(updatePlan(deps, alice, ID, { name: 'n', status: 'suspended' })).rejects.toThrow(
        new InvalidInputError('Invalid plan: The plan can be only updated in suspended status.'),
      );
      expect((await updatePlan(deps, alice, ID, { status: 'suspended' })).status).toBe('suspended');
    });

    it('re-reads and retries when another update won the race, and gives up with 409', async () => {
      // Prepare
      store.plans.set(ID, stored());
      store.raceOn = [1];
      // Act
      const plan = await updatePlan(deps, alice, ID, { name: 'n' });
      // Assess
      expect(plan.name).toBe('n');
      store.raceOn = [2, 2, 2];
      await expect(updatePlan(deps, alice, ID, { name: 'm' })).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe('deletePlan', () => {
    it('removes a visible plan and hides foreign ones', async () => {
      store.plans.set(ID, stored());
      store.plans.set(OTHER_ID, stored({ id: OTHER_ID, projectId: 'p2' }));
      await expect(deletePlan(deps, alice, OTHER_ID)).rejects.toBeInstanceOf(NotFoundError);
      await deletePlan(deps, alice, ID);
      expect(store.removed).toEqual([ID]);
    });
  });

  describe('listPlans', () => {
    it('reads the caller’s project by created_at desc by default', async () => {
      await listPlans(deps, alice, listOptions({ limit: 5 }), compileRegexFilter);
      expect(store.queries[0]).toEqual(
        expect.objectContaining({ scope: { kind: 'project', projectId: 'p1' }, sort: { key: 'created_at', dir: 'desc' }, limit: 5, offset: 0 }),
      );
    });

    it('reads all projects for all_tenants, or one when project_id names exactly one', async () => {
      await listPlans(deps, admin, listOptions({ allTenants: true }), compileRegexFilter);
      await listPlans(deps, admin, listOptions({ allTenants: true, filters: { project_id: ['p2'] } }), compileRegexFilter);
      expect(store.queries.map((q) => q.scope)).toEqual([{ kind: 'all' }, { kind: 'project', projectId: 'p2' }]);
    });

    it('passes filters: exact any-of for status, one regex for name', async () => {
      await listPlans(deps, alice, listOptions({ filters: { status: ['started', 'suspended'], name: ['^a{1', '2}$'] } }), compileRegexFilter);
      expect(store.queries[0].status).toEqual(['started', 'suspended']);
      expect(['a', 'aa', 'aaa', 'a{1'].map((v) => store.queries[0].name?.(v))).toEqual([true, true, false, false]);
    });

    it('answers 400 for an invalid regex and 404 for a marker the caller cannot see', async () => {
      store.plans.set(OTHER_ID, stored({ id: OTHER_ID, projectId: 'p2' }));
      await expect(listPlans(deps, alice, listOptions({ filters: { name: ['('] } }), compileRegexFilter)).rejects.toBeInstanceOf(InvalidInputError);
      // Refused before the marker is read, too.
      await expect(listPlans(deps, alice, listOptions({ marker: ID, filters: { description: ['(a)\\1'] } }), compileRegexFilter)).rejects.toThrow(
        new InvalidInputError(
          "Invalid input received: The filter description '(a)\\1' is not a valid RE2 regular expression (no backreferences or lookaround).",
        ),
      );
      expect(store.queries).toHaveLength(0);
      await expect(listPlans(deps, alice, listOptions({ marker: OTHER_ID }), compileRegexFilter)).rejects.toThrow(
        new NotFoundError(`Plan ${OTHER_ID} could not be found.`),
      );
      await listPlans(deps, admin, listOptions({ marker: OTHER_ID }), compileRegexFilter);
      expect(store.queries[0].after?.id).toBe(OTHER_ID);
    });
  });

  describe('views and lookup', () => {
    it('presents Karbor’s view, omitting absent extra_info', () => {
      const view = planView({
        ...stored({
          resources: [
            { id: 'a', type: 't', name: 'n' },
            { id: 'b', type: 't', name: 'm', extra_info: {} },
          ],
        }),
        compliance: { status: 'unprotected', lastGoodAt: null, expectedIntervalSeconds: null, lateSince: null, lastVerifiedAt: null },
      });
      expect(view.resources).toEqual([
        { id: 'a', name: 'n', type: 't' },
        { id: 'b', name: 'm', type: 't', extra_info: {} },
      ]);
      // Karbor's keys first, then the compliance (docs/decisions.md §20) and destinations (§25) extensions.
      expect(Object.keys(view)).toEqual(['id', 'name', 'description', 'resources', 'provider_id', 'status', 'parameters', 'compliance', 'destinations']);
      expect(view.destinations).toEqual([]);
      expect(view.compliance).toEqual({
        status: 'unprotected',
        last_good_checkpoint_at: null,
        expected_interval_seconds: null,
        late_since: null,
        last_verified_at: null,
      });
    });

    it('looks plans up for other features within one project only', async () => {
      store.plans.set(ID, stored());
      const lookup = planLookup(store);
      expect(await lookup.getPlan('p1', ID)).toMatchObject({ id: ID, projectId: 'p1', providerId: NOOP });
      expect(await lookup.getPlan('p2', ID)).toBeUndefined();
    });

    it('reads a project’s plans page after page, oldest first, and refuses past 1000', async () => {
      const plans = (n: number, projectId = 'p1') =>
        Array.from({ length: n }, (_, i) =>
          stored({ id: `plan-${String(i).padStart(4, '0')}`, projectId, createdAt: `2026-01-01T00:00:00.${String(i).padStart(6, '0')}` }),
        );
      const queries: PlanQuery[] = [];
      const over = (all: Plan[]) =>
        projectPlanReader({
          list: async (q) => {
            queries.push(q);
            const mine = all.filter((p) => q.scope.kind === 'project' && p.projectId === q.scope.projectId);
            const from = q.after ? mine.findIndex((p) => p.id === q.after?.id) + 1 : 0;
            return { items: mine.slice(from, from + q.limit) };
          },
        });
      const read = await over([...plans(250), ...plans(3, 'p2')]).projectPlans('p1');
      expect(read.map((p) => p.id)).toEqual(plans(250).map((p) => p.id));
      expect(queries.map((q) => [q.scope, q.sort, q.after?.id, q.limit])).toEqual([
        [{ kind: 'project', projectId: 'p1' }, { key: 'created_at', dir: 'asc' }, undefined, 100],
        [{ kind: 'project', projectId: 'p1' }, { key: 'created_at', dir: 'asc' }, 'plan-0099', 100],
        [{ kind: 'project', projectId: 'p1' }, { key: 'created_at', dir: 'asc' }, 'plan-0199', 100],
      ]);
      await expect(over(plans(1001)).projectPlans('p1')).rejects.toThrow(InvalidInputError);
      await expect(over(plans(1000)).projectPlans('p1')).resolves.toHaveLength(1000);
    });

    it('formats timestamps as Karbor does', () => {
      expect(karborTime(new Date(Date.UTC(2017, 6, 28, 8, 43, 22, 5)))).toBe('2017-07-28T08:43:22.005000');
    });
  });
});
