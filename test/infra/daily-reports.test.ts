import { Match } from 'aws-cdk-lib/assertions';
import { DAILY_REPORTS_WORKER_ID } from '../../shared/workers';
import { synthStack } from '../support/synth';

/** Issue 24 items 3 and 6 in the template: the daily reports' schedule and grants (docs/decisions.md §22), the drills' bound (§24). */
describe('daily reports and the drill bound', () => {
  const s = synthStack({}, {}, 'Test');

  it('runs the daily reports at 00:15 UTC by a cron rule', () => {
    const fn = s.functionLogicalId(DAILY_REPORTS_WORKER_ID);
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(15 0 * * ? *)',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } })]),
    });
  });

  it('grants the daily reports the table read-only and the bank put, nothing else', () => {
    const actions = s.actionsOf(DAILY_REPORTS_WORKER_ID);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchGetItem', 's3:PutObject']));
    expect(actions.filter((a) => /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(a))).toEqual([]);
    expect(actions.filter((a) => /^(ec2|backup|scheduler|sts|iam|events):/.test(a))).toEqual([]);
    expect(s.envOf(DAILY_REPORTS_WORKER_ID)).toHaveProperty('BANK_BUCKET');
  });

  it('leaves the daily reports out under karbor:dailyReports false', () => {
    const off = synthStack({ 'karbor:dailyReports': false }, {}, 'Off');
    expect(off.stack.workerFunctions.has(DAILY_REPORTS_WORKER_ID)).toBe(false);
    expect(Object.values(off.resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression === 'cron(15 0 * * ? *)')).toEqual([]);
  });

  it('sets KARBOR_DRILL_CONCURRENCY on fire-trigger from karbor:drillConcurrency (default 5)', () => {
    const five = synthStack({}, {}, 'Five');
    const two = synthStack({ 'karbor:drillConcurrency': 2 }, {}, 'Two');
    expect(five.envOf('scheduler.fireTrigger').KARBOR_DRILL_CONCURRENCY).toBe('5');
    expect(two.envOf('scheduler.fireTrigger').KARBOR_DRILL_CONCURRENCY).toBe('2');
    expect(() => synthStack({ 'karbor:drillConcurrency': 26 }, {}, 'Bad')).toThrow(/karbor:drillConcurrency/);
  });
});
