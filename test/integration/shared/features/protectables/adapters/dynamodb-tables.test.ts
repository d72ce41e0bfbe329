import { dynamoDbTablesSource } from '../../../../../../shared/features/protectables/adapters/dynamodb-tables';
import { createTestTable, testClients } from '../../../../../support/dynamo';

describe('DynamoDB table discovery (DynamoDB Local)', () => {
  const { client } = testClients();
  // DynamoDB Local has no tagging: the local runtime turns tag scoping off (KARBOR_TENANT_SCOPING=none).
  let own: string;
  let source: ReturnType<typeof dynamoDbTablesSource>;
  const ctx = { projectId: 'p1' };
  let table: string;

  beforeAll(async () => {
    own = await createTestTable('discovery-own');
    table = await createTestTable('discovery');
    source = dynamoDbTablesSource(client, { tagKey: 'karbor:project', scoping: 'none', ownTable: own });
  });
  afterAll(() => client.destroy());

  it('lists the real tables', async () => {
    const found = await source.list(ctx);
    expect(found).toContainEqual({ id: table, type: 'AWS::DynamoDB::Table', name: table, extra_info: null });
  });

  it('shows a table with its ARN and answers undefined for an unknown or unparsable name', async () => {
    const shown = await source.show(ctx, table);
    expect(shown?.id).toBe(table);
    expect(String(shown?.extra_info?.arn)).toContain(`table/${table}`);
    expect(await source.show(ctx, 'no-such-table-here')).toBeUndefined();
    expect(await source.show(ctx, 'x')).toBeUndefined();
  });

  it('never lists nor shows Karbor’s own table', async () => {
    expect((await source.list(ctx)).map((t) => t.id)).not.toContain(own);
    expect(await source.show(ctx, own)).toBeUndefined();
  });

  it('lists the tables as the caller project’s dependents', async () => {
    const project = { id: 'p1', type: 'OS::Keystone::Project', name: null, extra_info: null };
    expect((await source.dependentsOf(ctx, project)).map((t) => t.id)).toContain(table);
  });
});
