import { Aws, Stack } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Grant } from '../shared/http/routes';
import type { ApiFunction } from './constructs/api-function';
import type { StackNames } from './names';

export interface GrantTargets {
  bus: IEventBus;
  bank: IBucket;
  scheduler: 'rules' | 'scheduler';
  /** The names derived from the stack (infra/names.ts): schedule group and trigger rule prefix. */
  names: StackNames;
  /** Where trigger rules and schedules leave the firings they could not deliver. */
  triggerDeadLetters?: IQueue;
  /** The fire-trigger worker; undefined only while no worker has the `trigger-schedules` source. */
  fireTrigger?: IFunction;
  /** The role EventBridge Scheduler assumes to invoke fire-trigger (scheduler mode only). */
  schedulerRole?: IRole;
}

/** `arn:aws:events:<region>:<account>:rule/<stack>-trigger-*`: trigger rules live on the default bus. */
export const triggerRuleArnPattern = (stack: Stack, names: StackNames): string =>
  stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${names.triggerPrefix}*` });

/**
 * Turns a definition's `grants` into least-privilege IAM statements and the
 * environment the function's adapters read. Table access is not here: it
 * comes from the definition's `access` (ApiFunction.bindTable).
 */
export const applyGrants = (fn: ApiFunction, grants: readonly Grant[], targets: GrantTargets): void => {
  const stack = Stack.of(fn);
  for (const grant of new Set(grants)) {
    switch (grant) {
      case 'discovery':
        // EC2 Describe* and dynamodb:ListTables have no resource-level permissions: `*` is the only option.
        fn.addToRolePolicy(new PolicyStatement({ actions: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'dynamodb:ListTables'], resources: ['*'] }));
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:DescribeTable'],
            resources: [stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' })],
          }),
        );
        break;
      case 'publish-events':
        targets.bus.grantPutEventsTo(fn);
        fn.addEnvironment('EVENT_BUS_NAME', targets.bus.eventBusName);
        break;
      case 'bank-read':
        targets.bank.grantRead(fn);
        fn.addEnvironment('BANK_BUCKET', targets.bank.bucketName);
        break;
      case 'bank-write':
        targets.bank.grantReadWrite(fn);
        fn.addEnvironment('BANK_BUCKET', targets.bank.bucketName);
        break;
      case 'trigger-schedules':
        grantTriggerSchedules(fn, stack, targets);
        break;
      case 'protect-aws':
        grantProtectAws(fn, stack);
        break;
      default: {
        const unknown: never = grant;
        throw new Error(`unknown grant ${String(unknown)}`);
      }
    }
  }
};

const grantTriggerSchedules = (fn: ApiFunction, stack: Stack, targets: GrantTargets): void => {
  if (!targets.fireTrigger) {
    throw new Error(
      `${fn.node.path} has the trigger-schedules grant but shared/workers.ts has no worker with source trigger-schedules (the fire-trigger function)`,
    );
  }
  // fire-trigger itself targets its own invoked ARN: its environment cannot name its own ARN (a cycle).
  if (fn !== targets.fireTrigger) fn.addEnvironment('FIRE_TRIGGER_ARN', targets.fireTrigger.functionArn);
  fn.addEnvironment('KARBOR_SCHEDULER', targets.scheduler);
  fn.addEnvironment('TRIGGER_NAME_PREFIX', targets.names.triggerPrefix);
  if (targets.triggerDeadLetters) fn.addEnvironment('TRIGGER_DLQ_ARN', targets.triggerDeadLetters.queueArn);
  if (targets.scheduler === 'rules') {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['events:PutRule', 'events:PutTargets', 'events:RemoveTargets', 'events:DeleteRule', 'events:DescribeRule', 'events:ListTargetsByRule'],
        resources: [triggerRuleArnPattern(stack, targets.names)],
      }),
    );
    return;
  }
  if (!targets.schedulerRole) throw new Error('scheduler mode needs the Scheduler invoke role');
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
      resources: [
        stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${targets.names.scheduleGroup}/${targets.names.triggerPrefix}*` }),
      ],
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [targets.schedulerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }),
  );
  fn.addEnvironment('SCHEDULER_ROLE_ARN', targets.schedulerRole.roleArn);
  fn.addEnvironment('SCHEDULE_GROUP', targets.names.scheduleGroup);
};

const grantProtectAws = (fn: ApiFunction, stack: Stack): void => {
  const region = Aws.REGION;
  // Describe* calls have no resource-level permissions: `*` is the only option.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:DescribeImages'],
      resources: ['*'],
    }),
  );
  // Snapshots and images have no account in their ARN (arn:aws:ec2:<region>::snapshot/<id>);
  // everything else RunInstances/CreateVolume touch is in this account and region.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ec2:CreateSnapshot', 'ec2:DeleteSnapshot', 'ec2:CreateVolume', 'ec2:CreateImage', 'ec2:DeregisterImage', 'ec2:CreateTags', 'ec2:RunInstances'],
      resources: [
        stack.formatArn({ service: 'ec2', resource: '*' }),
        `arn:${Aws.PARTITION}:ec2:${region}::snapshot/*`,
        `arn:${Aws.PARTITION}:ec2:${region}::image/*`,
      ],
    }),
  );
  const tables = stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' });
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:CreateBackup', 'dynamodb:DescribeTable', 'dynamodb:RestoreTableFromBackup'],
      resources: [tables],
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup', 'dynamodb:RestoreTableFromBackup'],
      resources: [stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*/backup/*' })],
    }),
  );
  // RestoreTableFromBackup writes the restored items as the caller, so AWS requires
  // these data actions on the target table, whose name is only known at restore time
  // (DynamoDB developer guide, "Using IAM with DynamoDB backup and restore").
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:BatchWriteItem',
      ],
      resources: [tables],
    }),
  );
};
