import { Match } from 'aws-cdk-lib/assertions';
import { synthStack } from '../support/synth';

/** Issue 24 item 4 in the template: the compliance evaluator, its schedule and grants, and the LatePlans alarm (docs/decisions.md §20). */
describe('compliance evaluator and the LatePlans alarm', () => {
  const s = synthStack({}, {}, 'Test');

  it('alarms on any late plan, treating missing data as breaching, to the alarm topic both ways', () => {
    const topic = Object.entries(s.resources).find(([, r]) => r.Type === 'AWS::SNS::Topic')![0];
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Karbor',
      MetricName: 'LatePlans',
      Dimensions: [{ Name: 'service', Value: 'Test' }],
      Statistic: 'Maximum',
      Period: 900,
      Threshold: 0,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
  });

  it('runs the evaluator every 15 minutes by a schedule rule', () => {
    const fn = s.functionLogicalId('compliance.evaluate');
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } })]),
    });
  });

  it('grants the evaluator the table and PutEvents on the karbor bus only: no bank, no plugin, no schedule actions', () => {
    const actions = s.actionsOf('compliance.evaluate');
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'events:PutEvents']));
    expect(actions.filter((a) => /^(s3|ec2|backup|scheduler|sts|iam):/.test(a) || a === 'events:PutRule')).toEqual([]);
    const put = s.statementsOf('compliance.evaluate').find((st) => st.Action === 'events:PutEvents');
    expect(JSON.stringify(put?.Resource)).toContain('Bus');
  });
});
