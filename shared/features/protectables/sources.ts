import { projectTagValue } from '../../kernel/identity';
import { PROJECT_TYPE } from './resource-types';
import type { DiscoveryContext, InstanceSource, ProtectableInstance, Tenancy } from './model';

/** The project-tag value a caller's resources must carry (its id, or the id's mapping: kernel/identity.ts), or undefined when it sees them all (admin, or scoping off). */
export const requiredTag = (tenancy: Tenancy, ctx: DiscoveryContext): { key: string; value: string } | undefined =>
  tenancy.scoping === 'tags' && ctx.isAdmin !== true ? { key: tenancy.tagKey, value: projectTagValue(ctx.projectId) } : undefined;

/** `OS::Keystone::Project`: the caller's own project is the one instance (name unknown without keystone). */
export const projectSource: InstanceSource = {
  notFoundReason: "only the caller's own project can be protected",
  list: async ({ projectId }) => [{ id: projectId, type: PROJECT_TYPE, name: null, extra_info: null }],
  show: async ({ projectId }, id) => (id === projectId ? { id: projectId, type: PROJECT_TYPE, name: null, extra_info: null } : undefined),
  dependentsOf: async () => [],
};

/** A type this deployment has no inventory for (the OpenStack services, or AWS discovery turned off). */
export const emptySource = (type: string): InstanceSource => ({
  notFoundReason: `no ${type} inventory is available here`,
  list: async () => [],
  show: async () => undefined,
  dependentsOf: async () => [],
});

/**
 * Builds a source's `dependentsOf` for a type whose only parent that matters
 * is the project: the project's own resources, even when an admin asks.
 */
export const projectChildren =
  (list: InstanceSource['list']): InstanceSource['dependentsOf'] =>
  async (ctx, parent: ProtectableInstance) =>
    parent.type === PROJECT_TYPE && parent.id === ctx.projectId ? list({ projectId: ctx.projectId, isAdmin: false }) : [];
