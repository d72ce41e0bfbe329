import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { KarborStack } from '../../infra/stack';

/** The protection feature in the synthesized stack: worker, its rule, and who may touch the bus and the bank. */
const synth = () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new KarborStack(app, 'Protection');
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const fnOf = (id: string) => stack.routeFunctions.get(id) ?? stack.workerFunctions.get(id)!;
  const actionsOf = (id: string): string[] => {
    const role = stack.getLogicalId(fnOf(id).role!.node.defaultChild as CfnRole);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: role })))
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  };
  const envOf = (id: string): Record<string, unknown> =>
    resources[stack.getLogicalId(fnOf(id).node.defaultChild as CfnFunction)].Properties.Environment?.Variables ?? {};
  return { stack, template, actionsOf, envOf };
};

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
