import { DescribeTableCommand, type DynamoDBClient, paginateListTables, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { projectChildren } from '../sources';
import type { InstanceSource, ProtectableInstance } from '../model';

const TYPE = 'AWS::DynamoDB::Table';

const instance = (name: string, arn?: string): ProtectableInstance => ({
  id: name,
  type: TYPE,
  name,
  extra_info: arn ? { arn } : null,
});

/**
 * `AWS::DynamoDB::Table` instances: the account's tables in this region (on
 * the local runtime, DynamoDB Local's). The id is the table name.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
 */
export const dynamoDbTablesSource = (client: DynamoDBClient): InstanceSource => {
  const list: InstanceSource['list'] = async () => {
    const names: string[] = [];
    for await (const page of paginateListTables({ client }, {})) names.push(...(page.TableNames ?? []));
    return names.map((name) => instance(name));
  };
  return {
    notFoundReason: 'no such table',
    list,
    show: async (_ctx, id) => {
      try {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: id }));
        return instance(Table?.TableName ?? id, Table?.TableArn);
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        // A name DynamoDB cannot even parse names no table either.
        if ((error as { name?: string }).name === 'ValidationException') return undefined;
        throw error;
      }
    },
    dependentsOf: projectChildren(list),
  };
};
