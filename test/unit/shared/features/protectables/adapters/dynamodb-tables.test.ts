import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, ListTagsOfResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoDbTablesSource } from '../../../../../../shared/features/protectables/adapters/dynamodb-tables';
import { projectTagValue } from '../../../../../../shared/kernel/identity';

const ddb = mockClient(DynamoDBClient);
const TENANCY = { tagKey: 'team', scoping: 'tags' as const, ownTable: 'karbor' };
const member = { projectId: 'p1' };
const admin = { projectId: 'p1', isAdmin: true };
const arn = (name: string) => `arn:aws:dynamodb:eu-west-1:111122223333:table/${name}`;
const client = () => new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

/** Tables `mine` (tagged p1, on the second tag page), `theirs` (tagged p2), `bare` (no tags) and Karbor's own. */
const account = () => {
  ddb.on(ListTablesCommand).resolves({ TableNames: ['bare', 'karbor', 'mine', 'theirs'] });
  ddb.on(DescribeTableCommand).callsFake(({ TableName }) => {
    if (!['bare', 'karbor', 'mine', 'theirs'].includes(TableName)) throw new ResourceNotFoundException({ message: 'no', $metadata: {} });
    return { Table: { TableName, TableArn: arn(TableName) } };
  });
  ddb.on(ListTagsOfResourceCommand, { ResourceArn: arn('mine') }).resolves({ Tags: [{ Key: 'Name', Value: 'm' }], NextToken: 'more' });
  ddb.on(ListTagsOfResourceCommand, { ResourceArn: arn('mine'), NextToken: 'more' }).resolves({ Tags: [{ Key: 'team', Value: 'p1' }] });
  ddb.on(ListTagsOfResourceCommand, { ResourceArn: arn('theirs') }).resolves({ Tags: [{ Key: 'team', Value: 'p2' }] });
  ddb.on(ListTagsOfResourceCommand, { ResourceArn: arn('bare') }).resolves({ Tags: [] });
  ddb.on(ListTagsOfResourceCommand, { ResourceArn: arn('karbor') }).resolves({ Tags: [{ Key: 'team', Value: 'p1' }] });
};

describe('DynamoDB table discovery, scoped by tag', () => {
  beforeEach(() => {
    ddb.reset();
    account();
  });

  it('lists a member only the tables tagged for its project, reading every tag page', async () => {
    // Act
    const found = await dynamoDbTablesSource(client(), TENANCY).list(member);
    // Assess
    expect(found).toEqual([{ id: 'mine', type: 'AWS::DynamoDB::Table', name: 'mine', extra_info: null }]);
    // Karbor's own table is never even looked at.
    expect(ddb.commandCalls(DescribeTableCommand).map((c) => c.args[0].input.TableName)).not.toContain('karbor');
  });

  it('finds a project whose id no session tag can hold by the mapped tag value the plugins put on its resources', async () => {
    // Prepare: `odd` tagged with the mapping of the project id `p#1`
    ddb.on(ListTablesCommand).resolves({ TableNames: ['odd', 'raw'] });
    ddb.on(DescribeTableCommand).callsFake(({ TableName }) => ({ Table: { TableName, TableArn: arn(TableName) } }));
    ddb.on(ListTagsOfResourceCommand, { ResourceArn: arn('odd') }).resolves({ Tags: [{ Key: 'team', Value: projectTagValue('p#1') }] });
    ddb.on(ListTagsOfResourceCommand, { ResourceArn: arn('raw') }).resolves({ Tags: [{ Key: 'team', Value: 'p#1' }] });
    // Act
    const found = await dynamoDbTablesSource(client(), TENANCY).list({ projectId: 'p#1' });
    // Assess
    expect(found.map((t) => t.id)).toEqual(['odd']);
  });

  it('lists an admin every table but Karbor’s own, without reading tags', async () => {
    const found = await dynamoDbTablesSource(client(), TENANCY).list(admin);
    expect(found.map((t) => t.id)).toEqual(['bare', 'mine', 'theirs']);
    expect(ddb.commandCalls(ListTagsOfResourceCommand)).toHaveLength(0);
  });

  it('lists every table but Karbor’s own to a member when scoping is off (DynamoDB Local)', async () => {
    const found = await dynamoDbTablesSource(client(), { ...TENANCY, scoping: 'none' }).list(member);
    expect(found.map((t) => t.id)).toEqual(['bare', 'mine', 'theirs']);
  });

  it('shows a member its tagged table and nothing for an untagged, foreign, unknown or Karbor’s own table', async () => {
    const source = dynamoDbTablesSource(client(), TENANCY);
    expect(await source.show(member, 'mine')).toEqual({ id: 'mine', type: 'AWS::DynamoDB::Table', name: 'mine', extra_info: { arn: arn('mine') } });
    for (const id of ['bare', 'theirs', 'nope', 'karbor']) expect(await source.show(member, id)).toBeUndefined();
    expect((await source.show(admin, 'theirs'))?.id).toBe('theirs');
    expect(await source.show(admin, 'karbor')).toBeUndefined();
  });

  it('asks about at most four tables at once', async () => {
    // Prepare
    const names = Array.from({ length: 12 }, (_, i) => `t${i}`);
    ddb.reset();
    ddb.on(ListTablesCommand).resolves({ TableNames: names });
    ddb.on(DescribeTableCommand).callsFake(({ TableName }) => ({ Table: { TableName, TableArn: arn(TableName) } }));
    let inFlight = 0;
    let most = 0;
    ddb.on(ListTagsOfResourceCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return { Tags: [{ Key: 'team', Value: 'p1' }] };
    });
    // Act
    const found = await dynamoDbTablesSource(client(), TENANCY).list(member);
    // Assess
    expect(found.map((t) => t.id)).toEqual(names);
    expect(most).toBe(4);
  });

  it('passes a tag read failure on as a discovery failure', async () => {
    ddb.on(ListTagsOfResourceCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(dynamoDbTablesSource(client(), TENANCY).list(member)).rejects.toThrow('denied');
  });
});
