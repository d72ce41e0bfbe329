import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgeRules, removeAllRules, TRIGGER_RETRY_POLICY } from '../../../shared/features/triggers/adapters/eventbridge-rules';
import { describeMoto, useMoto } from '../../support/moto';

const [PREFIX, ARN, DLQ] = ['karbor-trigger-', 'arn:aws:lambda:eu-west-1:123456789012:function:fire-trigger', 'arn:aws:sqs:eu-west-1:123456789012:trigger-dlq'];
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';

describeMoto('EventBridge rules trigger adapter against moto_server', () => {
  const aws = useMoto((config) => new EventBridgeClient(config));
  const names = async () => ((await aws.client.send(new ListRulesCommand({}))).Rules ?? []).map((r) => r.Name).sort();

  it('puts a rule with the fire-trigger target, replaces it, removes it, and a second remove is no error', async () => {
    const { client } = aws;
    const adapter = eventBridgeRules({ client, targetArn: ARN, namePrefix: PREFIX, deadLetterArn: DLQ });
    const schedule = { triggerId: T1, projectId: 'p1', expression: 'cron(0 2 * * ? *)', windowSeconds: 900, start: new Date(0) };
    await adapter.put(schedule);
    await adapter.put({ ...schedule, expression: 'cron(30 3 * * ? *)' });
    expect(await client.send(new DescribeRuleCommand({ Name: `${PREFIX}${T1}` }))).toMatchObject({
      ScheduleExpression: 'cron(30 3 * * ? *)',
      State: 'ENABLED',
      Description: `Karbor time trigger ${T1} of project p1`,
    });
    const { Targets = [] } = await client.send(new ListTargetsByRuleCommand({ Rule: `${PREFIX}${T1}` }));
    expect(Targets).toHaveLength(1);
    expect(Targets[0]).toMatchObject({ Id: 'fire-trigger', Arn: ARN, RetryPolicy: TRIGGER_RETRY_POLICY, DeadLetterConfig: { Arn: DLQ } });
    expect(JSON.parse(Targets[0].InputTransformer!.InputTemplate!.replace('<time>', '"2026-01-01T02:00:00Z"'))).toEqual({
      trigger_id: T1,
      project_id: 'p1',
      time: '2026-01-01T02:00:00Z',
    });
    expect(Targets[0].InputTransformer!.InputPathsMap).toEqual({ time: '$.time' });
    await adapter.remove(T1);
    expect(await names()).toEqual([]);
    await adapter.remove(T1);
  });

  it('removeAllRules removes only <prefix><uuid> rules', async () => {
    const { client } = aws;
    const adapter = eventBridgeRules({ client, targetArn: ARN, namePrefix: PREFIX });
    for (const triggerId of [T1, T2]) await adapter.put({ triggerId, projectId: 'p1', expression: 'rate(1 day)', windowSeconds: 900, start: new Date(0) });
    await client.send(new PutRuleCommand({ Name: `${PREFIX}trigger-${T1}`, ScheduleExpression: 'rate(1 day)' }));
    await client.send(new PutRuleCommand({ Name: 'other-rule', ScheduleExpression: 'rate(1 day)' }));
    expect(await removeAllRules(client, PREFIX)).toBe(2);
    expect(await names()).toEqual([`${PREFIX}trigger-${T1}`, 'other-rule']);
  });
});
