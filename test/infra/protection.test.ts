import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { synthStack } from '../support/synth';

/** The protection feature in the synthesized stack: worker, its rule, and who may touch the bus and the bank. */
const synth = () => synthStack({}, {}, 'Protection');

describe('protection in the stack', () => {
  const s = synth();

  it('runs the protection worker from a rule on the karbor bus for the three work events', () => {
    // Assess
    const worker = s.stack.getLogicalId(s.stack.workerFunctions.get('protection.worker')!.node.defaultChild as CfnFunction);
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['karbor'], 'detail-type': ['Checkpoint Requested', 'Checkpoint Delete Requested', 'Restore Requested'] },
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [worker, 'Arn'] } })]),
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: Match.absent(), Timeout: 900 });
  });

  it('invokes fire-trigger and the protection worker every minute with the heartbeat event (os-services)', () => {
    // Prepare
    const arnOf = (id: string) => ({ 'Fn::GetAtt': [s.stack.getLogicalId(s.stack.workerFunctions.get(id)!.node.defaultChild as CfnFunction), 'Arn'] });
    const input = JSON.stringify({ 'detail-type': 'Karbor Heartbeat', source: 'karbor.heartbeat', detail: {} });
    // Assess
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      EventBusName: Match.absent(),
      Targets: [Match.objectLike({ Arn: arnOf('scheduler.fireTrigger'), Input: input }), Match.objectLike({ Arn: arnOf('protection.worker'), Input: input })],
    });
  });

  it('gives the worker the bank, the bus and the plugin permissions, with their names in its environment', () => {
    // Act
    const actions = s.actionsOf('protection.worker');
    const env = s.envOf('protection.worker');
    // Assess
    expect(actions).toEqual(expect.arrayContaining(['events:PutEvents', 's3:PutObject', 'ec2:CreateSnapshot', 'dynamodb:CreateBackup']));
    expect(env).toEqual(expect.objectContaining({ EVENT_BUS_NAME: expect.anything(), BANK_BUCKET: expect.anything() }));
  });

  it('lets the routes that start work publish, and keeps read routes and the bank away from the API', () => {
    // Assess
    for (const id of ['checkpoints.create', 'checkpoints.delete', 'restores.create']) {
      expect(s.actionsOf(id)).toContain('events:PutEvents');
      expect(s.actionsOf(id).some((a) => a.startsWith('s3:'))).toBe(false);
      expect(s.actionsOf(id).some((a) => a.startsWith('ec2:'))).toBe(false);
    }
    for (const id of ['checkpoints.list', 'checkpoints.show', 'restores.list', 'restores.show']) {
      expect(s.actionsOf(id)).not.toContain('events:PutEvents');
      expect(s.actionsOf(id)).not.toContain('dynamodb:PutItem');
    }
  });
});
