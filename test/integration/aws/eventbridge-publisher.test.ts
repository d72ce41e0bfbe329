import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgePublisher } from '../../../shared/events/eventbridge-publisher';
import { describeMoto, useMoto } from '../../support/moto';

/**
 * The project has no SQS client: the test speaks SQS's JSON protocol to moto
 * itself (moto checks no signature; the credential scope names the region).
 */
const sqs = async <T>(endpoint: string, action: string, body: Record<string, unknown>): Promise<T> => {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AmazonSQS.${action}`,
      Authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`SQS ${action}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

interface Delivered {
  source: string;
  'detail-type': string;
  detail: unknown;
}

describeMoto('EventBridge publisher against moto_server', () => {
  const aws = useMoto((config) => new EventBridgeClient(config));

  it('puts twelve events on the bus with source karbor (moto refuses more than ten per call), and a rule on the bus delivers each', async () => {
    // Prepare: the karbor bus, a rule for source karbor, a queue as its target
    const { client, moto } = aws;
    await client.send(new CreateEventBusCommand({ Name: 'karbor' }));
    const { QueueUrl } = await sqs<{ QueueUrl: string }>(moto.endpoint, 'CreateQueue', { QueueName: 'karbor-events' });
    await client.send(new PutRuleCommand({ Name: 'all-karbor', EventBusName: 'karbor', EventPattern: JSON.stringify({ source: ['karbor'] }) }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'all-karbor',
        EventBusName: 'karbor',
        Targets: [{ Id: 'queue', Arn: 'arn:aws:sqs:eu-west-1:123456789012:karbor-events' }],
      }),
    );
    const events = Array.from({ length: 12 }, (_, i) => ({ detailType: 'Checkpoint Available', detail: { checkpoint_id: `c${i}` } }));

    // Act
    await eventBridgePublisher(client, 'karbor').publish(events);

    // Assess: the queue holds the twelve events as EventBridge delivers them
    const delivered: Delivered[] = [];
    for (let i = 0; i < 5 && delivered.length < events.length; i++) {
      const { Messages = [] } = await sqs<{ Messages?: { Body: string }[] }>(moto.endpoint, 'ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 });
      delivered.push(...Messages.map((m) => JSON.parse(m.Body) as Delivered));
    }
    expect(delivered.map((d) => [d.source, d['detail-type'], d.detail]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      events.map((e) => ['karbor', e.detailType, e.detail]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
  });

  it('fails when EventBridge refuses the call (the bus does not exist) and names the cause', async () => {
    const publish = eventBridgePublisher(aws.client, 'no-such-bus').publish([{ detailType: 'Checkpoint Available', detail: {} }]);
    await expect(publish).rejects.toThrow('Event bus no-such-bus does not exist');
  });
});
