import { InvalidInputError, NotFoundError, ServiceError } from '../../kernel/errors';
import { mapLimit } from '../../kernel/concurrency';
import { AWS_RESOURCE_TYPES, PROJECT_TYPE } from './resource-types';
import { type ProtectableInstance, type DiscoveryContext, PROTECTABLE_TYPES, type InstanceSources, type InstanceView, type UnprotectedPorts } from './model';

/** Each type and the types it can depend on (Karbor's plugin `get_parent_resource_types`). */
const PARENT_TYPES: Record<string, readonly string[]> = {
  'OS::Trove::Instance': [PROJECT_TYPE],
  'OS::Glance::Image': ['OS::Nova::Server', PROJECT_TYPE],
  'OS::Neutron::Network': [PROJECT_TYPE],
  'OS::Kubernetes::Pod': [PROJECT_TYPE],
  [PROJECT_TYPE]: [],
  'OS::Nova::Server': [PROJECT_TYPE],
  'OS::Manila::Share': [PROJECT_TYPE],
  'OS::Cinder::Volume': ['OS::Nova::Server', 'OS::Kubernetes::Pod', PROJECT_TYPE],
  'AWS::EC2::Instance': [PROJECT_TYPE],
  'AWS::EC2::Volume': ['AWS::EC2::Instance', PROJECT_TYPE],
  'AWS::DynamoDB::Table': [PROJECT_TYPE],
};

/** Every other type whose parents include `type`, in listing order. */
export const dependentTypes = (type: string): string[] => PROTECTABLE_TYPES.filter((t) => t !== type && PARENT_TYPES[t].includes(type));

const checkType = (type: string): void => {
  if (!PROTECTABLE_TYPES.includes(type)) {
    throw new InvalidInputError('Invalid input received: Invalid protectable type provided.');
  }
};

export const showProtectableType = (type: string) => {
  checkType(type);
  return { name: type, dependent_types: dependentTypes(type) };
};

const discover = async <T>(what: () => Promise<T>, failure: (reason: string) => string): Promise<T> => {
  try {
    return await what();
  } catch (error) {
    throw new ServiceError(failure(error instanceof Error ? error.message : String(error)));
  }
};

/** The direct dependents of an instance: what every dependent type's source finds under it. */
const dependentsOf = async (sources: InstanceSources, ctx: DiscoveryContext, parent: ProtectableInstance) => {
  const lists = await Promise.all(dependentTypes(parent.type).map((t) => sources[t].dependentsOf(ctx, parent)));
  return lists.flat();
};

/** A page of instances: at most `limit`, by id after `marker` (an unknown marker ends the list). */
type InstancePage = { limit: number; marker?: string };

const pageAfter = <T extends { id: string }>(items: T[], page: InstancePage): T[] => {
  let rest = items;
  if (page.marker !== undefined) {
    const at = items.findIndex((i) => i.id === page.marker);
    rest = at < 0 ? [] : items.slice(at + 1);
  }
  return rest.slice(0, page.limit);
};

/**
 * Lists a type's instances with their dependents.
 * 1. refuse an unknown type (400);
 * 2. ask the type's source (a failure is Karbor's 500 "List protectable resources ... failed");
 * 3. page by id after `marker` (Karbor never pages here yet emits next links; we do both);
 * 4. add each instance's direct dependents.
 */
export const listProtectableInstances = async (sources: InstanceSources, ctx: DiscoveryContext, type: string, page: InstancePage): Promise<InstanceView[]> => {
  checkType(type);
  const failed = (reason: string) => `List protectable resources of type ${type} failed: ${reason}`;
  const instances = pageAfter(await discover(() => sources[type].list(ctx), failed), page);
  return discover(() => Promise.all(instances.map(async (i) => ({ ...i, dependent_resources: await dependentsOf(sources, ctx, i) }))), failed);
};

/** Dependents calls in flight for a source without dependentsOfAll. */
const DEPENDENTS_IN_FLIGHT = 4;

/**
 * The project's instances of `type` that no plan of the project covers (an
 * extension, docs/decisions.md §21). Covered means in a
 * plan's resource graph: named by a plan, or a dependent of a resource a plan
 * names (an EBS volume attached to a planned EC2 instance; everything, when a
 * plan names the project itself). Discovery is a member's view of the
 * project, also for an admin: only the project's plans protect it.
 * 1. refuse an unknown type (400);
 * 2. read the project's plans (pages of 100) and list the type's instances (one discovery listing), together;
 * 3. a plan naming the project covers everything: the list is empty;
 * 4. ask the type's source for the dependents of the planned resources of its parent types (EC2 volumes: one paged call per 200 servers);
 * 5. drop the covered instances, then page by id after `marker`.
 */
export const listUnprotectedInstances = async (
  ports: UnprotectedPorts,
  projectId: string,
  type: string,
  page: InstancePage,
): Promise<ProtectableInstance[]> => {
  checkType(type);
  const ctx: DiscoveryContext = { projectId, isAdmin: false };
  const source = ports.sources[type];
  const failed = (reason: string) => `List unprotected resources of type ${type} failed: ${reason}`;
  const [plans, instances] = await Promise.all([ports.plans.projectPlans(projectId), discover(() => source.list(ctx), failed)]);
  const planned = plans.flatMap((p) => p.resources);
  if (planned.some((r) => r.type === PROJECT_TYPE && r.id === projectId)) return [];
  const covered = new Set(planned.filter((r) => r.type === type).map((r) => r.id));
  const parents = planned
    .filter((r) => r.type !== PROJECT_TYPE && PARENT_TYPES[type].includes(r.type))
    .map((r) => ({ id: r.id, type: r.type, name: r.name, extra_info: r.extra_info ?? null }));
  if (parents.length > 0) {
    const dependents = await discover(
      async () =>
        source.dependentsOfAll
          ? source.dependentsOfAll(ctx, parents)
          : (await mapLimit(parents, DEPENDENTS_IN_FLIGHT, (r) => source.dependentsOf(ctx, r))).flat(),
      failed,
    );
    for (const d of dependents) covered.add(d.id);
  }
  return pageAfter(
    instances.filter((i) => !covered.has(i.id)),
    page,
  );
};

/** Shows one instance with its dependents; an unknown id is Karbor's 404 text. */
export const showProtectableInstance = async (sources: InstanceSources, ctx: DiscoveryContext, type: string, id: string): Promise<InstanceView> => {
  checkType(type);
  const source = sources[type];
  const failed = (reason: string) => `Show protectable resource ${id} of type ${type} failed: ${reason}`;
  const instance = await discover(() => source.show(ctx, id), failed);
  if (!instance) throw new NotFoundError(`The resource ${id} of type ${type} could not be found: ${source.notFoundReason}`);
  return { ...instance, dependent_resources: await discover(() => dependentsOf(sources, ctx, instance), failed) };
};

/**
 * The types some runtime has an inventory of. Karbor's other OpenStack types
 * have none anywhere: a plan may name them on trust (only the No-Op plugin
 * protects them, and it touches nothing).
 */
const INVENTORIED_TYPES: readonly string[] = [PROJECT_TYPE, ...AWS_RESOURCE_TYPES];

/** Discovery calls in flight while checking a plan's resources. */
const CHECKS_IN_FLIGHT = 4;

/**
 * The first of `resources` the project may not protect, with why: an
 * inventoried type whose source does not show it to a member of the project
 * (untagged, another project's, unknown, Karbor's own table, or no inventory
 * of that type in this runtime). Admins get no wider view here: the worker
 * protects a plan as its project. A discovery failure is a 500.
 */
export const unseenResource = async (
  sources: InstanceSources,
  projectId: string,
  resources: readonly { type: string; id: string }[],
): Promise<{ type: string; id: string; reason: string } | undefined> => {
  const ctx: DiscoveryContext = { projectId, isAdmin: false };
  const checked = resources.filter((r) => INVENTORIED_TYPES.includes(r.type));
  const seen = await mapLimit(checked, CHECKS_IN_FLIGHT, (r) =>
    discover(
      () => sources[r.type].show(ctx, r.id),
      (reason) => `Show protectable resource ${r.id} of type ${r.type} failed: ${reason}`,
    ),
  );
  const at = seen.indexOf(undefined);
  return at < 0 ? undefined : { ...checked[at], reason: sources[checked[at].type].notFoundReason };
};

/** Parses the `parameters` query value: a JSON object or Python dict literal, else Karbor's 400. */
export const parseInstanceParameters = (raw: string | undefined): Record<string, unknown> | undefined => {
  if (raw === undefined) return undefined;
  const notADict = () => new InvalidInputError('Invalid input received: The parameters must be a dict.');
  let value: unknown;
  try {
    value = JSON.parse(
      raw
        .replace(/'/g, '"')
        .replace(/\bTrue\b/g, 'true')
        .replace(/\bFalse\b/g, 'false')
        .replace(/\bNone\b/g, 'null'),
    );
  } catch {
    throw notADict();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw notADict();
  return value as Record<string, unknown>;
};
