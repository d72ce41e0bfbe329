import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { HEARTBEAT_EVENT } from '../../../shared/features/services/model';
import { dynamoServiceStore } from '../../../shared/features/services/store';
import { dynamoTriggerStore } from '../../../shared/features/triggers/store';
import { createTestTable, testClients } from '../../support/dynamo';
import { aTrigger } from '../../support/triggers';

/** One record as the firings queue's event source mapping hands it over. */
const record = (messageId: string, body: string): SQSRecord =>
  ({
    messageId,
    body,
    receiptHandle: messageId,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:firings',
    awsRegion: 'eu-west-1',
  }) as unknown as SQSRecord;
const context = { invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:fire-trigger' };

describe('the fire-trigger function on DynamoDB Local', () => {
  const { doc } = testClients();
  let table: string;
  const trigger = aTrigger('p1');

  beforeAll(async () => {
    // The handler reads TABLE_NAME (set here) and DYNAMODB_ENDPOINT (global setup) as on Lambda.
    table = await createTestTable('fire');
    process.env.KARBOR_SERVICE_HOST = 'fire-host';
    await dynamoTriggerStore(doc, table).create(trigger);
  });

  it('takes a firing from the queue as a batch and reports only the record that failed, for SQS to deliver again', async () => {
    // Prepare
    const { handler } = await import('../../../functions/scheduler/fire-trigger');
    const foreign = JSON.stringify({ trigger_id: trigger.id, project_id: 'p2', time: '2026-12-08T03:00:00Z' });
    const event: SQSEvent = { Records: [record('m-foreign', foreign), record('m-broken', '{"trigger_id": ')] };
    // Act
    const answer = await handler(event, context);
    // Assess: the trigger of another project is judged (and ignored), the unreadable body is failed.
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-broken' }] });
    const rows = await dynamoServiceStore(doc, table).list();
    expect(rows).toEqual([expect.objectContaining({ binary: 'karbor-operationengine', host: 'fire-host' })]);
  });

  it('still answers a direct invocation (a rule, an older schedule, the heartbeat) with its outcome', async () => {
    const { handler } = await import('../../../functions/scheduler/fire-trigger');
    await expect(handler(HEARTBEAT_EVENT, context)).resolves.toEqual({ outcome: 'ignored', reason: 'heartbeat' });
    const foreign = { trigger_id: trigger.id, project_id: 'p2', time: '2026-12-08T03:00:00Z' };
    await expect(handler(foreign, context)).resolves.toEqual({ outcome: 'ignored', reason: 'unknown-trigger' });
  });
});
