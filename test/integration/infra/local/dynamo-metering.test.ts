import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { meter, meterEvent, meteredCalls, meteredInvocations, meterInvocation, meterScope, setMeterPaused } from '../../../../infra/local/dynamo-metering';
import { documentClient, localDynamoClient, setDynamoClientHook } from '../../../../shared/dynamo/client';
import { createTestTable, testEndpoint } from '../../../support/dynamo';

describe('DynamoDB metering (npm run bench, DynamoDB Local)', () => {
  let table: string;
  const doc = () => {
    setDynamoClientHook(meter);
    try {
      return documentClient(localDynamoClient(testEndpoint()));
    } finally {
      setDynamoClientHook(undefined);
    }
  };

  beforeAll(async () => {
    table = await createTestTable('meter');
  });

  afterEach(() => {
    setMeterPaused(false);
    meteredCalls().length = 0;
    meteredInvocations().length = 0;
    delete process.env.KARBOR_DYNAMO_METER;
  });

  it('records each call with the capacity DynamoDB reports, under the request scope open at the time', async () => {
    // Prepare
    const client = doc();
    const scope = { label: 'plans.show', open: true };
    // Act
    await client.send(new PutCommand({ TableName: table, Item: { PK: 'A', SK: 'A', v: 1 } }));
    await meterScope().run(scope, () => client.send(new GetCommand({ TableName: table, Key: { PK: 'A', SK: 'A' }, ConsistentRead: true })));
    scope.open = false;
    await meterScope().run(scope, () =>
      client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'A' } })),
    );
    // Assess
    expect(meteredCalls()).toEqual([
      { label: 'background', command: 'PutItemCommand', readUnits: 0, writeUnits: 1 },
      { label: 'plans.show', command: 'GetItemCommand', readUnits: 1, writeUnits: 0 },
      { label: 'background', command: 'QueryCommand', readUnits: 0.5, writeUnits: 0 },
    ]);
  });

  it('records nothing while paused, and does not ask DynamoDB for capacity', async () => {
    // Prepare
    const client = doc();
    setMeterPaused(true);
    // Act
    const out = await client.send(new GetCommand({ TableName: table, Key: { PK: 'A', SK: 'A' } }));
    // Assess
    expect(meteredCalls()).toEqual([]);
    expect(out.ConsumedCapacity).toBeUndefined();
  });

  it('leaves a client without KARBOR_DYNAMO_METER alone', async () => {
    // Prepare
    const client = documentClient(localDynamoClient(testEndpoint()));
    // Act
    const out = await client.send(new GetCommand({ TableName: table, Key: { PK: 'A', SK: 'A' } }));
    // Assess
    expect(meteredCalls()).toEqual([]);
    expect(out.ConsumedCapacity).toBeUndefined();
  });

  it('prices an invocation: its calls under its label, its duration and the events it published', async () => {
    // Prepare
    process.env.KARBOR_DYNAMO_METER = '1';
    const client = doc();
    // Act
    const out = await meterInvocation('protection.worker (Checkpoint Requested)', async () => {
      await client.send(new GetCommand({ TableName: table, Key: { PK: 'A', SK: 'A' }, ConsistentRead: true }));
      meterEvent();
      meterEvent();
      return 'done';
    });
    // Assess
    expect(out).toBe('done');
    expect(meteredCalls()).toEqual([{ label: 'protection.worker (Checkpoint Requested)', command: 'GetItemCommand', readUnits: 1, writeUnits: 0 }]);
    expect(meteredInvocations()).toEqual([{ label: 'protection.worker (Checkpoint Requested)', ms: expect.any(Number), events: 2 }]);
    expect(meteredInvocations()[0].ms).toBeGreaterThan(0);
  });

  it('runs an invocation unrecorded without KARBOR_DYNAMO_METER or while paused', async () => {
    // Act
    const plain = await meterInvocation('plans.show', async () => 1);
    process.env.KARBOR_DYNAMO_METER = '1';
    setMeterPaused(true);
    const paused = await meterInvocation('plans.show', async () => 2);
    // Assess
    expect([plain, paused]).toEqual([1, 2]);
    expect(meteredInvocations()).toEqual([]);
  });
});
