import { DeleteRuleCommand, EventBridgeClient, ListRulesCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { eventBridgeRules, removeAllRules } from '../../../../../../shared/features/triggers/adapters/eventbridge-rules';
import type { TriggerSchedule } from '../../../../../../shared/features/triggers/model';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:fire-trigger';
const ID = '2b4b5e3c-1111-4c1f-9b7a-2d8f0e6a1b35';
const PREFIX = 'prod-trigger-';
const DLQ = 'arn:aws:sqs:eu-west-1:123456789012:prod-FireTriggerDeadLetters';
const SCHEDULE: TriggerSchedule = {
  triggerId: ID,
  projectId: 'demo',
  expression: 'cron(0 3 * * ? *)',
  windowSeconds: 1200,
  start: new Date('2030-01-01T00:00:00Z'),
  end: new Date('2031-01-01T00:00:00Z'),
};

describe('eventBridgeRules', () => {
  const events = mockClient(EventBridgeClient);
  beforeEach(() => events.reset());
  const adapter = () => eventBridgeRules({ client: new EventBridgeClient({ region: 'eu-west-1' }), targetArn: ARN, namePrefix: PREFIX, deadLetterArn: DLQ });

  it("removes every rule of this stack's prefix, page by page, and no other stack's", async () => {
    // Prepare: stack `prod-trigger`'s rules start with stack `prod`'s prefix too.
    const other = `prod-trigger-trigger-${ID}`;
    const second = '9c0a4e7b-2222-4d2e-8c6b-3e9f1f7b2c46';
    events
      .on(ListRulesCommand, { NamePrefix: PREFIX, NextToken: undefined })
      .resolves({ Rules: [{ Name: `${PREFIX}${ID}` }, { Name: other }], NextToken: 'page2' })
      .on(ListRulesCommand, { NamePrefix: PREFIX, NextToken: 'page2' })
      .resolves({ Rules: [{ Name: `${PREFIX}${second}` }] });
    // Act
    const removed = await removeAllRules(new EventBridgeClient({ region: 'eu-west-1' }), PREFIX);
    // Assess
    expect(removed).toBe(2);
    expect(events.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input.Name)).toEqual([`${PREFIX}${ID}`, `${PREFIX}${second}`]);
  });

  it('passes other failures on', async () => {
    events.on(PutRuleCommand).rejects(new Error('throttled'));
    await expect(adapter().put(SCHEDULE)).rejects.toThrow('throttled');
    expect(events.commandCalls(PutTargetsCommand)).toHaveLength(0);
  });
});
