import { DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { GraphResource, PluginContext } from '../../plugins';
import { restoreTableName } from '../../restore-name';

const tableExists = async (client: DynamoDBClient, name: string): Promise<boolean> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
};

/** The bank object (in the resource's folder) where a restore or drill writes the table it is about to create. */
export const intentName = (ctx: PluginContext) => `restore-${ctx.restoreId ?? ctx.checkpointId}.json`;

/**
 * The table a DynamoDB restore creates (named by ../../restore-name.ts), and whether an earlier attempt of
 * this restore already created it (then the restore resumes into it rather
 * than failing or creating another). The attempt writes its intent into the
 * bank before creating: that, not a tag, tells its own table from a
 * stranger's, as DynamoDB Local has no tagging and RestoreTableFromBackup
 * takes no tags.
 */
export const restoreTarget = async (
  client: DynamoDBClient,
  ctx: PluginContext,
  resource: GraphResource,
  name = restoreTableName(ctx.parameters.restore_name, resource.id, ctx.restoreId ?? ctx.checkpointId),
): Promise<{ name: string; resumed: boolean }> => {
  const intent = intentName(ctx);
  if (await tableExists(client, name)) {
    const earlier = await ctx.bank.get(intent);
    if (earlier !== undefined && (JSON.parse(earlier) as { table: string }).table === name) return { name, resumed: true };
    throw new Error(`table ${name} already exists`);
  }
  await ctx.bank.put(intent, JSON.stringify({ table: name }));
  return { name, resumed: false };
};
