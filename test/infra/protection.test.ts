import type { Alias, CfnAlias, CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { synthStack } from '../support/synth';

/** The protection feature in the synthesized stack: worker, its rule, and who may touch the bus and the bank. */
const synth = () => synthStack({}, {}, 'Protection');

describe('protection in the stack', () => {
  const s = synth();

  /** What a worker's sources invoke: the `live` alias of a durable worker, the function of another. */
  const targetArn = (id: string) => {
    const target = s.stack.workerTargets.get(id)!;
    if (target === s.stack.workerFunctions.get(id)) return { 'Fn::GetAtt': [s.stack.getLogicalId(target.node.defaultChild as CfnFunction), 'Arn'] };
    return { Ref: s.stack.getLogicalId((target as Alias).node.defaultChild as CfnAlias) };
  };

  it('runs the protection worker from a rule on the karbor bus for the four work events, through its live alias', () => {
    // Assess
    const worker = s.stack.getLogicalId(s.stack.workerFunctions.get('protection.worker')!.node.defaultChild as CfnFunction);
    const alias = s.stack.getLogicalId((s.stack.workerTargets.get('protection.worker') as Alias).node.defaultChild as CfnAlias);
    s.template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionName: { Ref: worker } });
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['karbor'],
        'detail-type': ['Checkpoint Requested', 'Checkpoint Delete Requested', 'Restore Requested', 'Checkpoint Copy Requested', 'Verification Requested'],
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: alias },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { Ref: alias },
      Principal: 'events.amazonaws.com',
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: Match.absent(), Timeout: 900 });
  });

  it('makes the protection worker a durable function without reserved concurrency, keeping its dead-letter queue', () => {
    // Assess
    const worker = s.resources[s.stack.getLogicalId(s.stack.workerFunctions.get('protection.worker')!.node.defaultChild as CfnFunction)].Properties;
    expect(worker.DurableConfig).toEqual({ ExecutionTimeout: 24 * 3600, RetentionPeriodInDays: 14 });
    // A reservation fails the deploy on an account whose limit is 10: none unless asked for (karbor:workerConcurrency).
    expect(worker.ReservedConcurrentExecutions).toBeUndefined();
    for (const [id, r] of Object.entries(s.resources)) expect([id, r.Properties?.ReservedConcurrentExecutions]).toEqual([id, undefined]);
    expect(JSON.stringify(worker.DeadLetterConfig)).toContain('ProtectionWorkerDeadLetters');
    // It may checkpoint and read the durable state of its own executions only, and its alias waits for that grant.
    const workerLogicalId = s.stack.getLogicalId(s.stack.workerFunctions.get('protection.worker')!.node.defaultChild as CfnFunction);
    const durablePolicies = Object.entries(s.resources).filter(
      ([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('lambda:CheckpointDurableExecution'),
    );
    expect(durablePolicies).toHaveLength(1);
    const [policyId, policy] = durablePolicies[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [workerLogicalId, 'Arn'] }, ':*']] },
      },
    ]);
    const version = Object.values(s.resources).find((r) => r.Type === 'AWS::Lambda::Version' && JSON.stringify(r.Properties).includes(workerLogicalId));
    expect(version?.DependsOn).toContain(policyId);
    // A deploy keeps the version running executions replay on (they are pinned to it for up to their timeout).
    expect([version?.DeletionPolicy, version?.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(JSON.stringify(s.template.toJSON())).not.toContain('AWSLambdaBasicDurableExecutionRolePolicy');
    // Other workers stay plain functions.
    const sweep = s.resources[s.stack.getLogicalId(s.stack.workerFunctions.get('protection.sweep')!.node.defaultChild as CfnFunction)].Properties;
    expect(sweep.DurableConfig).toBeUndefined();
    expect(sweep.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('reserves the worker concurrency only when karbor:workerConcurrency asks, and refuses a bad one', () => {
    // Act
    const custom = synthStack({ 'karbor:workerConcurrency': '3' }, {}, 'ProtectionConcurrency');
    // Assess
    const worker = custom.resources[custom.stack.getLogicalId(custom.stack.workerFunctions.get('protection.worker')!.node.defaultChild as CfnFunction)];
    expect(worker.Properties.ReservedConcurrentExecutions).toBe(3);
    expect(Object.values(custom.resources).filter((r) => r.Properties?.ReservedConcurrentExecutions !== undefined)).toHaveLength(1);
    expect(() => synthStack({ 'karbor:workerConcurrency': '0' }, {}, 'ProtectionBadConcurrency')).toThrow('karbor:workerConcurrency');
  });

  it('beats every minute from plain functions only: fire-trigger with the heartbeat event, the heartbeat function for the durable worker', () => {
    // Prepare
    const input = JSON.stringify({ 'detail-type': 'Karbor Heartbeat', source: 'karbor.heartbeat', detail: {} });
    const heartbeat = s.stack.getLogicalId(s.stack.heartbeatFunction!.node.defaultChild as CfnFunction);
    // Act
    const rules = Object.values(s.resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression === 'rate(1 minute)');
    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventBusName).toBeUndefined();
    expect(rules[0].Properties.Targets).toEqual([
      expect.objectContaining({ Arn: targetArn('scheduler.fireTrigger'), Input: input }),
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [heartbeat, 'Arn'] }, Input: input, DeadLetterConfig: expect.anything() }),
    ]);
    // No heartbeat target is a durable function or its alias: a durable invocation starts a durable execution.
    const durable = Object.entries(s.resources).flatMap(([id, r]) => (r.Type === 'AWS::Lambda::Function' && r.Properties.DurableConfig ? [id] : []));
    const aliases = Object.entries(s.resources).flatMap(([id, r]) =>
      r.Type === 'AWS::Lambda::Alias' && durable.includes(r.Properties.FunctionName?.Ref) ? [id] : [],
    );
    expect(durable).not.toHaveLength(0);
    const targets = JSON.stringify(rules[0].Properties.Targets);
    for (const id of [...durable, ...aliases]) expect(targets).not.toContain(`"${id}"`);
    // The heartbeat function is plain and writes the table.
    expect(s.resources[heartbeat].Properties.DurableConfig).toBeUndefined();
    expect(s.resources[heartbeat].Properties.Environment.Variables.TABLE_NAME).toBeDefined();
  });

  it('gives the worker the bank, the bus and the plugin permissions, with their names in its environment', () => {
    // Act
    const actions = s.actionsOf('protection.worker');
    const env = s.envOf('protection.worker');
    // Assess
    // The plugin calls themselves run as the tenant-access role (test/infra/tenancy.test.ts, iam-simulation.test.ts).
    expect(actions).toEqual(expect.arrayContaining(['events:PutEvents', 's3:PutObject', 'sts:AssumeRole', 'sts:TagSession']));
    expect(env).toEqual(
      expect.objectContaining({ EVENT_BUS_NAME: expect.anything(), BANK_BUCKET: expect.anything(), KARBOR_TENANT_ROLE_ARN: expect.anything() }),
    );
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
