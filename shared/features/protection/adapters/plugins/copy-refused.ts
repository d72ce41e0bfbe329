import type { GraphResource, PluginContext } from '../../plugins';

/**
 * The AWS plugins' copy for now (docs/decisions.md §15): a provider's only
 * destination is itself, and a second snapshot, image or backup in the same
 * account and Region protects nothing more than the first, so the copy is
 * refused with the reason rather than made. It sends no AWS call.
 */
export const refuseInPlaceCopy =
  (what: string) =>
  async (ctx: PluginContext, resource: GraphResource): Promise<void> => {
    throw new Error(
      `${resource.type} ${resource.id} is not copied: the destination ${ctx.copyOf?.destination ?? 'of this provider'} is this provider itself (the same account and Region), where a copy of the ${what} would protect nothing more; copies need another destination`,
    );
  };
