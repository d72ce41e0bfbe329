import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { newCheckpoint } from '../../../../shared/features/checkpoints/use-cases';
import { ConflictError, QuotaExceededError } from '../../../../shared/kernel/errors';
import { dynamoCheckpointStore } from '../../../../shared/features/checkpoints/store';
import { isConflictOnly, retryOnConflict } from '../../../../shared/dynamo/retry';

/**
 * DynamoDB cancels a transaction that meets another on one of its items
 * (TransactionConflict); DynamoDB Local serialises them instead, so this is
 * the one place the conflict can be produced: a mocked client.
 */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const checkpoint = () =>
  newCheckpoint(
    { id: 'plan-1', projectId: 'p1', name: 'p', description: null, providerId: NOOP, status: 'suspended', resources: [], parameters: {} } as never,
    {},
    '00000000-0000-4000-8000-000000000001',
    new Date('2026-11-25T10:00:00Z'),
    3600,
  );

describe('retry on transaction conflicts', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }));
  const store = dynamoCheckpointStore(doc, 'karbor');

  beforeEach(() => ddb.reset());

  it('tells a conflict from a condition that failed', () => {
    expect(isConflictOnly(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isConflictOnly(cancelled('TransactionConflict', 'ConditionalCheckFailed'))).toBe(false);
    expect(isConflictOnly(cancelled('None', 'ConditionalCheckFailed'))).toBe(false);
    expect(isConflictOnly(Object.assign(new Error('x'), { name: 'TransactionConflictException' }))).toBe(true);
    expect(isConflictOnly(new Error('ProvisionedThroughputExceeded'))).toBe(false);
  });

  it('sends a checkpoint create again, unchanged, while only its quota counter conflicts', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    // Act
    await store.create(checkpoint(), undefined, 10);
    // Assess
    const sent = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(3);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[2]).toEqual(sent[0]);
    expect(sent[0].TransactItems?.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update']);
  });

  it('answers a full quota at once, and a conflict that outlasts the retries with a 409', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).rejects(cancelled('None', 'TransactionConflict'));
    // Act
    const full = store.create(checkpoint(), undefined, 1);
    await expect(full).rejects.toThrow(QuotaExceededError);
    const calledForQuota = ddb.commandCalls(TransactWriteCommand).length;
    const busy = store.create(checkpoint(), undefined, 10);
    // Assess
    await expect(busy).rejects.toThrow(ConflictError);
    expect(calledForQuota).toBe(1);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(11);
  });

  it('gives up after the given attempts and rethrows what DynamoDB said', async () => {
    // Prepare
    let calls = 0;
    const write = async () => {
      calls += 1;
      throw cancelled('TransactionConflict');
    };
    // Act
    const result = retryOnConflict(write, 3);
    // Assess
    await expect(result).rejects.toThrow('Transaction cancelled');
    expect(calls).toBe(3);
  });
});
