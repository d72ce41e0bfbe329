import { InvalidInputError, NotFoundError, ServiceError } from '../../kernel/errors';
import { mapLimit } from '../../kernel/concurrency';
import { AWS_RESOURCE_TYPES, PROJECT_TYPE } from './resource-types';
import { type ProtectableInstance, type DiscoveryContext, PROTECTABLE_TYPES, type InstanceSources, type InstanceView } from './model';

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

/**
 * Lists a type's instances with their dependents.
 * 1. refuse an unknown type (400);
 * 2. ask the type's source (a failure is Karbor's 500 "List protectable resources ... failed");
 * 3. page by id after `marker` (Karbor never pages here yet emits next links; we do both);
 * 4. add each instance's direct dependents.
 */
export const listProtectableInstances = async (
  sources: InstanceSources,
  ctx: DiscoveryContext,
  type: string,
  page: { limit: number; marker?: string },
): Promise<InstanceView[]> => {
  checkType(type);
  const failed = (reason: string) => `List protectable resources of type ${type} failed: ${reason}`;
  let instances = await discover(() => sources[type].list(ctx), failed);
  if (page.marker !== undefined) {
    const at = instances.findIndex((i) => i.id === page.marker);
    instances = at < 0 ? [] : instances.slice(at + 1);
  }
  instances = instances.slice(0, page.limit);
  return discover(() => Promise.all(instances.map(async (i) => ({ ...i, dependent_resources: await dependentsOf(sources, ctx, i) }))), failed);
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
