import { InvalidInputError, NotFoundError, QuotaExceededError } from '../../kernel/errors';
import type { ListOptions, RegexCompiler, TextMatcher } from '../../kernel/list-options';
import type { JudgedPlanReader, PlanLookup, PlanSummary, ProjectPlanReader } from './model';
import type { Provider, ProviderCatalog } from '../providers/model';
import { RESOURCE_TYPES } from '../protectables/model';
import { type DestinationCatalog, unknownDestination } from '../destinations/model';
import { isUuidLike } from '../../kernel/uuid';
import type { Identity } from '../../kernel/identity';
import { karborTime, pyStr } from '../../kernel/karbor-text';
import {
  type PlanResource,
  type PlanParameters,
  type Plan,
  type PlanScope,
  type PlanPage,
  type PlanStore,
  type PlanDeps,
  type PlanEditDeps,
  PlanChangedError,
  type CreatePlanInput,
  type UpdatePlanInput,
  type ComplianceRecord,
  EMPTY_COMPLIANCE,
  type JudgedPlan,
  judgeCompliance,
  type Compliance,
  type ComplianceFleet,
  type PlanVerdicts,
} from './model';

/** Who asks: plan rules need only the token's project and whether the caller is admin. */
type Caller = Pick<Identity, 'projectId' | 'isAdmin'>;

const notFound = (id: string) => new NotFoundError(`Plan ${id} could not be found.`);

/** Admins see every project's plans by id (docs/contract.md §2.1); members only their own, others are 404. */
const visibleTo = (plan: Plan | undefined, identity: Caller): plan is Plan => plan !== undefined && (identity.isAdmin || plan.projectId === identity.projectId);

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Python's `str()` of a scalar, as Karbor's string fields coerce them. */

const RESOURCE_SHAPE = 'Invalid input received: Resource in list must be a dict when creating a plan.The keys of resource are id,type and name.';

/**
 * Karbor's `validate_plan_resources`, then its storage coercion: id, type and
 * name become strings, `extra_info` stays an object, other keys are dropped.
 * Deliberate difference: null or non-scalar id/type/name and a non-object
 * `extra_info` are 400 (Karbor stores them and its readers then fail).
 */
const planResources = (resources: Array<Record<string, unknown>> | undefined): PlanResource[] => {
  if (!resources || resources.length === 0) {
    throw new InvalidInputError('Invalid input received: list resources must be provided when creating a plan.');
  }
  return resources.map((r) => {
    const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!isPlainObject(r) || !scalar(r.id) || !scalar(r.type) || !scalar(r.name)) throw new InvalidInputError(RESOURCE_SHAPE);
    const extra = r.extra_info;
    if (extra !== undefined && extra !== null && !isPlainObject(extra)) throw new InvalidInputError(RESOURCE_SHAPE);
    const resource: PlanResource = {
      id: pyStr(r.id as string),
      type: pyStr(r.type as string),
      name: pyStr(r.name as string),
    };
    if (isPlainObject(extra)) resource.extra_info = extra;
    return resource;
  });
};

/**
 * Karbor's `validate_plan_parameters` against the provider's options schema,
 * then the string coercion of the leaves (docs/contract.md §3.4).
 * Deliberate differences (docs/decisions.md §7): a key with more than one `#` and
 * a property for a type whose schema has no `properties` are 400, not 500.
 */
const findProvider = (providers: ProviderCatalog, providerId: string): Provider => {
  const provider = providers.all().find((p) => p.id === providerId);
  if (!provider) throw new InvalidInputError('The provider could not be found.');
  return provider;
};

const planParameters = (provider: Provider, parameters: Record<string, Record<string, string | number | boolean> | null>): PlanParameters => {
  const optionsSchema = provider.extendedInfoSchema.options_schema;
  const result: PlanParameters = {};
  for (const [key, value] of Object.entries(parameters)) {
    let type = key;
    if (key.includes('#')) {
      const parts = key.split('#');
      if (parts.length !== 2) throw new InvalidInputError('The key of plan parameters is invalid.');
      if (!isUuidLike(parts[1])) throw new InvalidInputError('The resource_id must be a uuid.');
      type = parts[0];
    }
    if (!RESOURCE_TYPES.includes(type)) throw new InvalidInputError('The key of plan parameters is invalid.');
    const schema = optionsSchema[type];
    if (schema !== undefined && value !== null) {
      const properties = isPlainObject(schema.properties) ? schema.properties : {};
      for (const prop of Object.keys(value)) {
        if (!Object.hasOwn(properties, prop)) {
          throw new InvalidInputError('The protect property of plan parameters is invalid.');
        }
      }
    }
    result[key] = value === null ? null : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pyStr(v)]));
  }
  return result;
};

/**
 * Deliberate difference (Tenant scoping in the README): Karbor takes any
 * resource into a plan. Here the provider must have a plugin for each type
 * (400 naming it), and the plan's project must see each resource through
 * discovery (400 naming it, the same for a foreign, untagged or unknown one).
 */
const checkProtectable = async (deps: Pick<PlanEditDeps, 'protectables'>, provider: Provider, projectId: string, resources: PlanResource[]): Promise<void> => {
  const unsupported = resources.find((r) => provider.plugins[r.type] === undefined);
  if (unsupported) {
    throw new InvalidInputError(`Invalid input received: The provider ${provider.name} has no protection plugin for resource type ${unsupported.type}.`);
  }
  const unseen = await deps.protectables.unseen(projectId, resources);
  if (unseen) {
    throw new InvalidInputError(
      `Invalid input received: The resource ${unseen.id} of type ${unseen.type} could not be found in project ${projectId}: ${unseen.reason}.`,
    );
  }
};

/**
 * Extension (docs/decisions.md §25): each name must be a configured
 * destination (400 naming the first that is not); repeats count once.
 */
const planDestinationNames = (catalog: DestinationCatalog, names: readonly string[] | undefined): string[] => {
  const unique = [...new Set(names ?? [])];
  const unknown = unknownDestination(catalog, unique);
  if (unknown !== undefined) throw new InvalidInputError(`Invalid input received: The destination ${unknown} is not configured.`);
  return unique;
};

/**
 * Creates a plan (docs/contract.md §7.3).
 * 1. resources: a non-empty list of {id, type, name[, extra_info]};
 * 2. the provider exists and allows the parameters; the destinations are configured ones;
 * 3. the provider can protect each resource's type, and the project can see each resource;
 * 4. one transaction stores the plan `suspended` and counts it against the
 *    project's plan quota (413 when full).
 */
export const createPlan = async (deps: PlanEditDeps, identity: Caller, input: CreatePlanInput): Promise<JudgedPlan> => {
  const resources = planResources(input.resources);
  const provider = findProvider(deps.providers, input.provider_id);
  const parameters = planParameters(provider, input.parameters);
  const destinations = planDestinationNames(deps.destinations, input.destinations);
  await checkProtectable(deps, provider, identity.projectId, resources);
  const limit = await deps.quota.planLimit(identity.projectId);
  if (limit === 0) throw new QuotaExceededError('Maximum number of plans allowed (0) exceeded');
  const now = karborTime(deps.clock.now());
  const plan: Plan = {
    id: deps.ids.newId(),
    projectId: identity.projectId,
    name: input.name as string,
    description: input.description ?? null,
    providerId: input.provider_id,
    status: 'suspended',
    resources,
    parameters,
    destinations,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.plans.create(plan, limit);
  // A new plan has no schedule and no checkpoint yet: nothing to read.
  return judged(deps, [plan], new Map())[0];
};

const checkPlanId = (planId: string) => {
  if (!isUuidLike(planId)) throw new InvalidInputError('Invalid plan id provided.');
};

/** Shows a plan (docs/contract.md §7.4): 400 for a malformed id, 404 for an unknown or invisible one. */
export const showPlan = async (deps: Pick<PlanDeps, 'plans' | 'clock'>, identity: Caller, planId: string): Promise<JudgedPlan> => {
  checkPlanId(planId);
  // Both reads at once: the compliance item of a plan the caller may not see is read and dropped.
  const [plan, records] = await Promise.all([deps.plans.get(planId), deps.plans.compliance([planId])]);
  if (!visibleTo(plan, identity)) throw notFound(planId);
  return judged(deps, [plan], records)[0];
};

/** Plans with their compliance at the clock's now (docs/decisions.md §20): no record yet reads as nothing expected, nothing good. */
const judged = (deps: Pick<PlanDeps, 'clock'>, plans: Plan[], records: ReadonlyMap<string, ComplianceRecord>): JudgedPlan[] => {
  const now = deps.clock.now();
  return plans.map((plan) => ({ ...plan, compliance: judgeCompliance(plan, records.get(plan.id) ?? EMPTY_COMPLIANCE, now) }));
};

/** Plans with their compliance: one BatchGetItem of their compliance items per 100 plans, never a read per plan. */
export const withCompliance = async (deps: Pick<PlanDeps, 'plans' | 'clock'>, plans: Plan[]): Promise<JudgedPlan[]> =>
  judged(deps, plans, plans.length === 0 ? new Map() : await deps.plans.compliance(plans.map((p) => p.id)));

const UPDATE_ATTEMPTS = 3;

/**
 * Updates a plan (docs/contract.md §7.5, docs/decisions.md §2).
 * 1. something to update; non-empty resources well formed; the id valid and visible;
 * 2. a status-only change is allowed in any status, anything else only while `suspended`;
 * 3. new resources must be protectable by the plan's provider in the plan's project (once, on the first read);
 * 4. the write is conditional on the version read, so a concurrent update is
 *    never overwritten unseen: on a lost race the rules are re-checked against
 *    the new state and the write retried (409 after a few losses).
 */
export const updatePlan = async (
  deps: Pick<PlanEditDeps, 'plans' | 'clock' | 'providers' | 'protectables' | 'destinations'>,
  identity: Caller,
  planId: string,
  input: UpdatePlanInput,
): Promise<JudgedPlan> => {
  const keys = (['name', 'description', 'status', 'resources', 'destinations'] as const).filter((k) => input[k] !== undefined);
  if (keys.length === 0) throw new InvalidInputError('Missing updated parameters in request body.');
  const resources = input.resources === undefined ? undefined : input.resources.length === 0 ? [] : planResources(input.resources);
  const destinations = input.destinations === undefined ? undefined : planDestinationNames(deps.destinations, input.destinations);
  checkPlanId(planId);
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.plans.get(planId);
    if (!visibleTo(current, identity)) throw notFound(planId);
    if (current.status !== 'suspended' && keys.some((k) => k !== 'status')) {
      throw new InvalidInputError('Invalid plan: The plan can be only updated in suspended status.');
    }
    // A plan's provider and project never change: a retry need not ask discovery again.
    if (attempt === 1 && resources !== undefined && resources.length > 0) {
      await checkProtectable(deps, findProvider(deps.providers, current.providerId), current.projectId, resources);
    }
    const next: Plan = {
      ...current,
      name: input.name !== undefined ? (input.name as string) : current.name,
      description: input.description !== undefined ? input.description : current.description,
      status: input.status ?? current.status,
      resources: resources ?? current.resources,
      destinations: destinations ?? current.destinations,
      updatedAt: karborTime(deps.clock.now()),
      version: current.version + 1,
    };
    try {
      const stored = await deps.plans.update(next, current.version);
      // Its status decides whether it can be late (a suspended plan never is).
      return (await withCompliance(deps, [stored]))[0];
    } catch (error) {
      if (!(error instanceof PlanChangedError) || attempt >= UPDATE_ATTEMPTS) throw error;
    }
  }
};

/**
 * Deletes a plan (docs/contract.md §7.6, docs/decisions.md §13): one transaction turns it
 * into a tombstone and gives its quota back, and fails with 409 while a
 * scheduled operation uses it.
 */
export const deletePlan = async (deps: Pick<PlanDeps, 'plans' | 'clock'>, identity: Caller, planId: string): Promise<void> => {
  checkPlanId(planId);
  const plan = await deps.plans.get(planId);
  if (!visibleTo(plan, identity)) throw notFound(planId);
  await deps.plans.remove(plan, karborTime(deps.clock.now()));
};

/** A regex filter is one expression: the commas the list parser split on are part of it. */
const regexFilter = (compile: RegexCompiler, key: string, values: string[] | undefined): TextMatcher | undefined =>
  values === undefined ? undefined : compile(key, values.join(','));

/**
 * Lists plans (docs/contract.md §7.2, docs/decisions.md §5).
 * 1. scope: the caller's project, or every project for an admin's all_tenants
 *    (narrowed to one project when project_id names exactly one);
 * 2. the marker must be a plan the caller can see (404 otherwise);
 * 3. the store reads the index of the first sort key from after the marker.
 * Regex filters compile first, so a pattern RE2 cannot run is a 400 before any read.
 */
export const listPlans = async (
  deps: Pick<PlanDeps, 'plans' | 'clock'>,
  identity: Caller,
  options: ListOptions,
  compile: RegexCompiler,
): Promise<Omit<PlanPage, 'items'> & { items: JudgedPlan[]; limit: number }> => {
  const name = regexFilter(compile, 'name', options.filters.name);
  const description = regexFilter(compile, 'description', options.filters.description);
  const projectIds = options.filters.project_id;
  const scope: PlanScope = !options.allTenants
    ? { kind: 'project', projectId: identity.projectId }
    : projectIds?.length === 1
      ? { kind: 'project', projectId: projectIds[0] }
      : { kind: 'all' };
  let after: Plan | undefined;
  if (options.marker !== undefined) {
    // An admin's marker may be another project's plan: the list continues after its sort values, as SQL would.
    // A marker that is no id names no plan; read as a key, a long one fails DynamoDB's key size (a 500).
    after = isUuidLike(options.marker) ? await deps.plans.get(options.marker) : undefined;
    if (!visibleTo(after, identity)) throw notFound(options.marker);
  }
  const page = await deps.plans.list({
    scope,
    sort: options.sort[0] ?? { key: 'created_at', dir: 'desc' },
    after,
    offset: options.offset,
    limit: options.limit,
    status: options.filters.status,
    projectIds,
    name,
    description,
  });
  return { ...page, items: await withCompliance(deps, page.items), limit: options.limit };
};

/** What other features read of a plan (the PlanLookup port). */
const planSummary = (plan: Plan): PlanSummary => ({
  id: plan.id,
  projectId: plan.projectId,
  name: plan.name,
  description: plan.description,
  providerId: plan.providerId,
  status: plan.status,
  resources: plan.resources.map((r) => ({ ...r })),
  parameters: plan.parameters,
  destinations: [...(plan.destinations ?? [])],
});

/** Plans per read of projectPlans: the default quota (50) fits one. */
export const PROJECT_PLANS_PAGE = 100;
/** Most plans projectPlans reads (10 pages): a project past it gets a 400, not an unbounded read. */
export const PROJECT_PLANS_CAP = 1000;

/** The PlanLookup port on top of a plan store: live plans of the given project only. */
export const planLookup = (plans: Pick<PlanStore, 'get'>): PlanLookup => ({
  getPlan: async (projectId, planId) => {
    if (!isUuidLike(planId)) return undefined;
    const plan = await plans.get(planId);
    return plan !== undefined && plan.projectId === projectId ? planSummary(plan) : undefined;
  },
});

/** Every live plan of a project, by created_at, page after page (PROJECT_PLANS_PAGE a Query); past PROJECT_PLANS_CAP a 400. */
const readProjectPlans = async (plans: Pick<PlanStore, 'list'>, projectId: string, purpose: string): Promise<Plan[]> => {
  const all: Plan[] = [];
  for (;;) {
    const page = await plans.list({
      scope: { kind: 'project', projectId },
      sort: { key: 'created_at', dir: 'asc' },
      after: all.at(-1),
      offset: 0,
      limit: PROJECT_PLANS_PAGE,
    });
    all.push(...page.items);
    if (all.length > PROJECT_PLANS_CAP) {
      throw new InvalidInputError(`More than ${PROJECT_PLANS_CAP} plans in project ${projectId}; delete some to ${purpose}.`);
    }
    if (page.items.length < PROJECT_PLANS_PAGE) return all;
  }
};

/** The ProjectPlanReader port on top of a plan store: a project's plans by created_at, page after page. */
export const projectPlanReader = (plans: Pick<PlanStore, 'list'>): ProjectPlanReader => ({
  projectPlans: async (projectId) => (await readProjectPlans(plans, projectId, 'list its unprotected resources')).map(planSummary),
});

/** Most plans of every project a report judges (REPORT_PLANS_CAP / 100 Queries and BatchGetItems). */
export const REPORT_PLANS_CAP = 10000;

/**
 * The JudgedPlanReader port (reports): a project's plans as projectPlans reads
 * them plus one BatchGetItem of compliance items per 100, or every project's
 * through the compliance fleet's pages (one plan-index Query and one
 * BatchGetItem per 100 plans), judged at the clock's now.
 */
export const judgedPlanReader = (deps: Pick<PlanDeps, 'plans' | 'clock'> & { fleet: Pick<ComplianceFleet, 'pages'> }): JudgedPlanReader => ({
  async judgedPlans(projectId) {
    if (projectId !== undefined) return withCompliance(deps, await readProjectPlans(deps.plans, projectId, 'report on it'));
    const now = deps.clock.now();
    const all: JudgedPlan[] = [];
    for await (const page of deps.fleet.pages()) {
      for (const { plan, record } of page) all.push({ ...plan, compliance: judgeCompliance(plan, record, now) });
      if (all.length > REPORT_PLANS_CAP) throw new InvalidInputError(`More than ${REPORT_PLANS_CAP} plans in all projects; report on one project at a time.`);
    }
    return all;
  },
});

/**
 * Every live plan's compliance status at `now` (the overview, docs/decisions.md §23): a project's plans a page at a
 * time from the plan index with one BatchGetItem of their compliance items,
 * or every project's as the compliance evaluator reads them; judged by the
 * plans' own rule, at most PROJECT_PLANS_CAP plans.
 */
export const planVerdictReader =
  (plans: Pick<PlanStore, 'list' | 'compliance'>, fleet: Pick<ComplianceFleet, 'pages'>): PlanVerdicts =>
  async (scope, now) => {
    const verdicts: Compliance['status'][] = [];
    if (scope.kind === 'all') {
      for await (const page of fleet.pages()) {
        for (const { plan, record } of page) verdicts.push(judgeCompliance(plan, record, now).status);
        if (verdicts.length >= PROJECT_PLANS_CAP) break;
      }
      return verdicts;
    }
    let after: Plan | undefined;
    for (;;) {
      const page = await plans.list({ scope, sort: { key: 'created_at', dir: 'asc' }, after, offset: 0, limit: PROJECT_PLANS_PAGE });
      const records = page.items.length === 0 ? new Map<string, ComplianceRecord>() : await plans.compliance(page.items.map((p) => p.id));
      for (const plan of page.items) verdicts.push(judgeCompliance(plan, records.get(plan.id) ?? EMPTY_COMPLIANCE, now).status);
      after = page.items.at(-1);
      if (page.items.length < PROJECT_PLANS_PAGE || verdicts.length >= PROJECT_PLANS_CAP) return verdicts;
    }
  };
