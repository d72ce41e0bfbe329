import { AWS_RESOURCE_TYPES, PROJECT_TYPE } from './resource-types';

/** One protectable resource, as Karbor's protectable plugins describe it. */
export interface ProtectableInstance {
  id: string;
  type: string;
  name: string | null;
  extra_info: Record<string, unknown> | null;
}

export interface DiscoveryContext {
  projectId: string;
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
  /** Why `show` found nothing, for the 404 text. */
  readonly notFoundReason: string;
}

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
