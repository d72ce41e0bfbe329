import { DEFAULT_PROJECT_TAG_KEY } from '../../config';
import { projectTagValue } from '../../kernel/identity';
import type { GraphResource, PluginContext } from './plugins';

/**
 * Karbor's tags on everything a plugin creates: the project (under the
 * deployment's project tag key, so a restored volume is the project's to
 * protect again), the checkpoint, the protected resource and, for a restore,
 * the restore. IAM lets the worker create only what carries them and delete
 * only what carries the checkpoint tag (infra/grants.ts); a plugin finds what
 * an earlier attempt created by them.
 */
export const CHECKPOINT_TAG = 'karbor:checkpoint';
export const RESOURCE_TAG = 'karbor:resource';
export const RESTORE_TAG = 'karbor:restore';

export interface Tag {
  Key: string;
  Value: string;
}

export const karborTags = (ctx: PluginContext, resource: GraphResource, projectTagKey = DEFAULT_PROJECT_TAG_KEY): Tag[] => [
  { Key: projectTagKey, Value: projectTagValue(ctx.projectId) },
  { Key: CHECKPOINT_TAG, Value: ctx.checkpointId },
  { Key: RESOURCE_TAG, Value: resource.id },
  ...(ctx.restoreId === undefined ? [] : [{ Key: RESTORE_TAG, Value: ctx.restoreId }]),
];

/** EC2 filters for what this checkpoint (or, in a restore, this restore) already created for the resource. */
export const createdFilters = (ctx: PluginContext, resource: GraphResource, by: 'checkpoint' | 'restore') => [
  by === 'checkpoint' ? { Name: `tag:${CHECKPOINT_TAG}`, Values: [ctx.checkpointId] } : { Name: `tag:${RESTORE_TAG}`, Values: [ctx.restoreId ?? ''] },
  { Name: `tag:${RESOURCE_TAG}`, Values: [resource.id] },
];

/** A cleanup that could not remove everything: the message names what is left. */
export class LeftBehindError extends Error {
  constructor(
    readonly left: string[],
    cause: string,
  ) {
    super(`could not remove ${left.join(', ')}: ${cause}`);
    this.name = 'LeftBehindError';
  }
}
