import { dynamoServiceStore } from '../../../shared/features/services/store';
import { createTestTable, testClients } from '../../support/dynamo';

describe('the heartbeat function on DynamoDB Local', () => {
  const { doc } = testClients();
  let table: string;

  beforeAll(async () => {
    // The handler reads TABLE_NAME (set here) and DYNAMODB_ENDPOINT (global setup) as on Lambda.
    table = await createTestTable('beat');
    process.env.KARBOR_SERVICE_HOST = 'beat-host';
  });

  it("reports the durable protection worker's row each run, and no other row (fire-trigger beats itself)", async () => {
    // Prepare
    const { handler } = await import('../../../functions/services/heartbeat');
    // Act
    const first = await handler();
    await handler();
    // Assess
    expect(first).toEqual({ reported: ['karbor-protection'] });
    const rows = await dynamoServiceStore(doc, table).list();
    expect(rows).toEqual([expect.objectContaining({ binary: 'karbor-protection', host: 'beat-host', reportCount: 2, updatedAt: expect.any(String) })]);
  });
});
