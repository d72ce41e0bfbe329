import {
  DescribeTableCommand,
  type DynamoDBClient,
  ListTagsOfResourceCommand,
  paginateListTables,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { mapLimit } from '../../../kernel/concurrency';
import { projectChildren, requiredTag } from '../sources';
import type { DiscoveryContext, InstanceSource, ProtectableInstance, Tenancy } from '../model';

const TYPE = 'AWS::DynamoDB::Table';

/**
 * DynamoDB's control plane allows few calls a second (ListTagsOfResource:
 * 10): a member's listing asks about at most this many tables at once and
 * lets the SDK retry a throttled call.
 */
const TAG_LOOKUPS_IN_FLIGHT = 4;

const instance = (name: string, arn?: string): ProtectableInstance => ({
  id: name,
  type: TYPE,
  name,
  extra_info: arn ? { arn } : null,
});

const isUnknownTable = (error: unknown): boolean =>
  // A name DynamoDB cannot even parse names no table either.
  error instanceof ResourceNotFoundException || (error as { name?: string }).name === 'ValidationException';

/**
 * `AWS::DynamoDB::Table` instances: the account's tables in this region (on
 * the local runtime, DynamoDB Local's), never Karbor's own. The id is the
 * table name. ListTables has no tag filter: for a member each table's tags
 * are read (DescribeTable for the ARN, then ListTagsOfResource).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html
 */
export const dynamoDbTablesSource = (client: DynamoDBClient, tenancy: Tenancy): InstanceSource => {
  const describe = async (name: string): Promise<TableDescription | undefined> => {
    try {
      return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
    } catch (error) {
      if (isUnknownTable(error)) return undefined;
      throw error;
    }
  };
  const carries = async (arn: string, tag: { key: string; value: string }): Promise<boolean> => {
    let token: string | undefined;
    try {
      do {
        const page = await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken: token }));
        if ((page.Tags ?? []).some((t) => t.Key === tag.key && t.Value === tag.value)) return true;
        token = page.NextToken;
      } while (token);
      return false;
    } catch (error) {
      // A table deleted since it was described is as good as untagged.
      if (isUnknownTable(error)) return false;
      throw error;
    }
  };
  /** The table when the caller may see it. */
  const visible = async (ctx: DiscoveryContext, name: string): Promise<TableDescription | undefined> => {
    if (name === tenancy.ownTable) return undefined;
    const table = await describe(name);
    const tag = requiredTag(tenancy, ctx);
    if (!table || !tag) return table;
    return table.TableArn !== undefined && (await carries(table.TableArn, tag)) ? table : undefined;
  };
  const list: InstanceSource['list'] = async (ctx) => {
    const names: string[] = [];
    for await (const page of paginateListTables({ client }, {})) names.push(...(page.TableNames ?? []));
    const own = tenancy.ownTable;
    const candidates = names.filter((n) => n !== own);
    if (!requiredTag(tenancy, ctx)) return candidates.map((name) => instance(name));
    const seen = await mapLimit(candidates, TAG_LOOKUPS_IN_FLIGHT, async (name) => ((await visible(ctx, name)) ? name : undefined));
    return seen.filter((n): n is string => n !== undefined).map((name) => instance(name));
  };
  return {
    notFoundReason: 'no such table',
    list,
    show: async (ctx, id) => {
      const table = await visible(ctx, id);
      return table ? instance(table.TableName ?? id, table.TableArn) : undefined;
    },
    dependentsOf: projectChildren(list),
  };
};
