import type { GraphResource, PluginContext } from '../../plugins';

/**
 * The AWS plugins' copy to the provider itself (docs/decisions.md §15, §25):
 * a second snapshot, image or backup in the same account and Region
 * protects nothing more than the first, so the copy is refused with the
 * reason rather than made; a copy to a named destination is
 * ./ec2-copy.ts. It sends no AWS call.
 */
export const refuseInPlaceCopy =
  (what: string) =>
  async (ctx: PluginContext, resource: GraphResource): Promise<void> => {
    throw new Error(
      `${resource.type} ${resource.id} is not copied: the destination ${ctx.copyOf?.destination ?? 'of this provider'} is this provider itself (the same account and Region), where a copy of the ${what} would protect nothing more; copies need another destination`,
    );
  };

/**
 * A native DynamoDB backup's copy: to the provider itself as above; to a
 * named destination refused too, with the decision (docs/decisions.md §25):
 * an on-demand backup cannot leave its account and Region; tables are copied
 * by the export plugin (its export into the destination's bank).
 */
export const refuseTableCopy =
  (what: string) =>
  async (ctx: PluginContext, resource: GraphResource): Promise<void> => {
    if (ctx.location === undefined) return refuseInPlaceCopy(what)(ctx, resource);
    throw new Error(
      `${resource.type} ${resource.id} is not copied to ${ctx.location}: a DynamoDB ${what} cannot be copied to another Region or account; tables are copied by export into the destination's bank (the export plugin, KARBOR_DYNAMODB_TABLE_PLUGIN=export; docs/decisions.md §25)`,
    );
  };
