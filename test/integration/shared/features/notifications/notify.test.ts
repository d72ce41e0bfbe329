import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { LIFECYCLE_EVENTS } from '../../../../../shared/events/names';
import { snsSender } from '../../../../../shared/features/notifications/adapters/sns';
import type { Notification } from '../../../../../shared/features/notifications/model';
import { dynamoNotificationGate } from '../../../../../shared/features/notifications/store';
import { notify } from '../../../../../shared/features/notifications/use-cases';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { describeMoto, type Moto, startMoto } from '../../../../support/moto';
import { fixedClock } from '../../../../support/protection-fakes';

const failed = (id: string) => ({ 'detail-type': LIFECYCLE_EVENTS.checkpointError, detail: { checkpoint_id: id, project_id: 'p1', status: 'error' } });

describe('operator notifications, de-duplicated on DynamoDB Local', () => {
  const { doc } = testClients();
  let table: string;
  beforeAll(async () => {
    table = await createTestTable('notify');
  });
  const world = () => {
    const sent: Notification[] = [];
    const clock = fixedClock('2026-12-08T03:01:00.000Z');
    const deps = { gate: dynamoNotificationGate(doc, table), send: async (n: Notification) => void sent.push(n), clock, log: () => {} };
    return { sent, clock, deps };
  };

  it('sends the first failure of a kind in a window, counts the rest, and names them in the next window message', async () => {
    // Prepare
    const { sent, clock, deps } = world();
    // Act: a failing fleet, 5 checkpoints in one window, one restore failure beside them.
    const outcomes = [];
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) outcomes.push(await notify(deps, failed(id)));
    await notify(deps, { 'detail-type': LIFECYCLE_EVENTS.restoreFailed, detail: { restore_id: 'r1', project_id: 'p2' } });
    clock.advance(15 * 60);
    const next = await notify(deps, failed('c6'));
    // Assess
    expect(outcomes.map((o) => o.outcome)).toEqual(['sent', 'counted', 'counted', 'counted', 'counted']);
    expect(sent.map((n) => n.subject)).toEqual([
      'Karbor: Checkpoint Error (project p1)',
      'Karbor: Restore Failed (project p2)',
      'Karbor: Checkpoint Error (project p1)',
    ]);
    expect(sent[0].message).toContain('"checkpoint_id": "c1"');
    expect(sent[0].message).toContain('Further Checkpoint Error events until 2026-12-08T03:15:00.000Z are counted, not sent');
    expect(next).toEqual({ outcome: 'sent', count: 1, earlier: 4 });
    expect(sent[2].message).toContain('4 more Checkpoint Error event(s) came in the previous 15 minutes without a message.');
  });

  it('takes its count back when the message cannot be sent, so the retry sends it', async () => {
    const { sent, clock, deps } = world();
    clock.advance(3600);
    const down = { ...deps, send: async () => Promise.reject(new Error('SNS is down')) };
    await expect(notify(down, failed('c7'))).rejects.toThrow('SNS is down');
    await expect(notify(deps, failed('c7'))).resolves.toMatchObject({ outcome: 'sent', count: 1 });
    expect(sent).toHaveLength(1);
  });

  it('ignores events it does not notify of (a successful job)', async () => {
    const { sent, deps } = world();
    await expect(notify(deps, { 'detail-type': LIFECYCLE_EVENTS.checkpointAvailable, detail: {} })).resolves.toEqual({ outcome: 'ignored' });
    expect(sent).toEqual([]);
  });
});

describeMoto('the notifier SNS sender against moto_server', () => {
  let moto: Moto;
  let sns: SNSClient;
  let sqs: SQSClient;
  beforeAll(async () => {
    moto = await startMoto('eu-west-1');
    sns = new SNSClient(moto.clientConfig);
    sqs = new SQSClient(moto.clientConfig);
  }, 30000);
  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await moto?.stop();
  });

  it('publishes subject and message to the alarm topic, which its subscribers receive', async () => {
    // Prepare: the topic with a queue subscribed, standing in for an e-mail address.
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'karbor-alarms' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'subscriber' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
    // Act
    await snsSender(sns, TopicArn!)({ subject: 'Karbor: Plan Late (project p1)', message: 'Plan Late:\n{}' });
    // Assess
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
    expect(JSON.parse(Messages![0].Body!)).toMatchObject({ TopicArn, Subject: 'Karbor: Plan Late (project p1)', Message: 'Plan Late:\n{}' });
  });
});
