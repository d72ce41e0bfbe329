import { AWS_RESOURCE_TYPES, PROJECT_TYPE } from './resource-types';

/** One protectable resource, as Karbor's protectable plugins describe it. */
export interface ProtectableInstance {
  id: string;
  type: string;
  name: string | null;
  extra_info: Record<string, unknown> | null;
}

/** Who discovers: a member sees its project's resources, an admin every one (Tenant scoping in the README). */
export interface DiscoveryContext {
  projectId: string;
  isAdmin?: boolean;
}

/**
 * How sources tell a project's resources: the tag key whose value is the
 * project id (`KARBOR_PROJECT_TAG_KEY`), whether scoping is on
 * (`KARBOR_TENANT_SCOPING`), and Karbor's own table, which nobody may protect
 * (its runtime's TABLE_NAME).
 */
export interface Tenancy {
  tagKey: string;
  scoping: 'tags' | 'none';
  ownTable: string;
}

/**
 * The instance-source port: where the instances of one type come from
 * (the caller's project, DynamoDB tables, EC2 ...). `show` answers
 * undefined for an unknown id; any thrown error is a discovery failure.
 */
export interface InstanceSource {
  list(ctx: DiscoveryContext): Promise<ProtectableInstance[]>;
  show(ctx: DiscoveryContext, id: string): Promise<ProtectableInstance | undefined>;
  /** The instances of this type that depend on `parent` (e.g. the volumes attached to a server). */
  dependentsOf(ctx: DiscoveryContext, parent: ProtectableInstance): Promise<ProtectableInstance[]>;
  /**
   * The instances of this type that depend on any of `parents`, in as few
   * calls as the service allows (EC2 volumes: one paged DescribeVolumes per
   * 200 instances). Optional: without it, callers ask dependentsOf per parent.
   */
  dependentsOfAll?(ctx: DiscoveryContext, parents: ProtectableInstance[]): Promise<ProtectableInstance[]>;
  /** Why `show` found nothing, for the 404 text. */
  readonly notFoundReason: string;
}

/** The 404 reasons of the EC2 sources, here so a source can name its reason before its adapter is loaded. */
export const EC2_NOT_FOUND_REASONS = { instance: 'no such instance', volume: 'no such volume' } as const;

/**
 * Protectable types in listing order: Karbor's plugins by plugin name
 * (database, image, network, pod, project, server, share, volume; docs/contract.md §6
 * Recommended), then the AWS types.
 */
export const PROTECTABLE_TYPES: readonly string[] = [
  'OS::Trove::Instance',
  'OS::Glance::Image',
  'OS::Neutron::Network',
  'OS::Kubernetes::Pod',
  PROJECT_TYPE,
  'OS::Nova::Server',
  'OS::Manila::Share',
  'OS::Cinder::Volume',
  ...AWS_RESOURCE_TYPES,
];

export type InstanceSources = Record<string, InstanceSource>;

export interface InstanceView extends ProtectableInstance {
  dependent_resources: ProtectableInstance[];
}

/**
 * The unprotected list's ports: discovery, and the project's plans with
 * their resources (plans' deps.ts projectPlans fits it; declared here so
 * plans, which import this model, are not imported back).
 */
export interface UnprotectedPorts {
  sources: InstanceSources;
  plans: {
    projectPlans(
      projectId: string,
    ): Promise<Array<{ resources: ReadonlyArray<{ type: string; id: string; name: string; extra_info?: Record<string, unknown> }> }>>;
  };
}

/**
 * What a project may protect, as the protectables' discovery sees it for a
 * member of that project (./deps.ts protectableCheck; plans ask it).
 */
export interface ProtectableCheck {
  /** The first resource the project cannot see, with the discovery's reason; undefined when it sees them all. */
  unseen(projectId: string, resources: readonly { type: string; id: string }[]): Promise<{ type: string; id: string; reason: string } | undefined>;
}

/** The resource types plans and providers name (./resource-types.ts). */
export { PROJECT_TYPE, RESOURCE_TYPES } from './resource-types';
