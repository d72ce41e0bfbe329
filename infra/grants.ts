import { Aws, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Grant } from '../shared/http/routes';
import type { ApiFunction } from './constructs/api-function';
import type { StackNames } from './names';
import { CHECKPOINT_TAG, RESTORE_TAG } from '../shared/features/protection/tags';

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
  /** Karbor's own table: never backed up, restored over or exported by the worker. */
  table: ITable;
  /** The tag naming a resource's project (karbor:projectTagKey). */
  projectTagKey: string;
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
            actions: ['dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource'],
            resources: [stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' })],
          }),
        );
        fn.addEnvironment('KARBOR_PROJECT_TAG_KEY', targets.projectTagKey);
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
        // Not grantReadWrite: its s3:DeleteObject* includes s3:DeleteObjectVersion, which would let
        // a function purge the versioned bank's history. A delete here only adds a delete marker.
        targets.bank.grantRead(fn);
        targets.bank.grantPut(fn);
        fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [targets.bank.arnForObjects('*')] }));
        fn.addEnvironment('BANK_BUCKET', targets.bank.bucketName);
        break;
      case 'trigger-schedules':
        grantTriggerSchedules(fn, stack, targets);
        break;
      case 'protect-aws':
        grantProtectAws(fn, stack, targets);
        fn.addEnvironment('KARBOR_PROJECT_TAG_KEY', targets.projectTagKey);
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

/** Every ARN of one EC2 resource type in this account and region (snapshots and images have no account in theirs). */
const ec2Arns = (stack: Stack, ...types: string[]): string[] =>
  types.map((t) =>
    t === 'snapshot' || t === 'image' ? `arn:${Aws.PARTITION}:ec2:${Aws.REGION}::${t}/*` : stack.formatArn({ service: 'ec2', resource: t, resourceName: '*' }),
  );

/** `Null: false` for each key: the request (or resource) must carry the tag, whatever its value. */
const carries = (prefix: 'aws:RequestTag' | 'aws:ResourceTag', ...keys: string[]) => ({
  Null: Object.fromEntries(keys.map((k) => [`${prefix}/${k}`, 'false'])),
});

/**
 * The AWS provider's plugin calls, scoped by Karbor's tags (shared/features/protection/tags.ts):
 * - the worker creates snapshots, images, volumes and instances only with the project and
 *   checkpoint tags in the request, and tags only while creating;
 * - it snapshots or images only volumes and instances that carry a project tag
 *   (IAM cannot compare the tag with the checkpoint's project: the code does, through discovery);
 * - it deletes or deregisters, restores from, only what carries Karbor's checkpoint tag;
 * - DynamoDB: backups of tables with a project tag; backups themselves take no tags
 *   (CreateBackup has no Tags), so their actions are scoped by ARN only, as is the target of a
 *   restore (a table that does not exist yet); Karbor's own table is denied outright.
 */
const grantProtectAws = (fn: ApiFunction, stack: Stack, targets: GrantTargets): void => {
  const project = targets.projectTagKey;
  // Describe* calls have no resource-level permissions: `*` is the only option.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:DescribeImages'],
      resources: ['*'],
    }),
  );
  // What the worker creates: only with Karbor's tags in the request. One statement per action and
  // the resource types it creates, so a request tag never stands in for a source's tag.
  const creates: [string, string[]][] = [
    ['ec2:CreateSnapshot', ['snapshot']],
    ['ec2:CreateImage', ['image', 'snapshot']],
    ['ec2:CreateVolume', ['volume']],
    ['ec2:RunInstances', ['instance', 'volume']],
  ];
  for (const [action, types] of creates) {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [action], resources: ec2Arns(stack, ...types), conditions: carries('aws:RequestTag', project, CHECKPOINT_TAG) }),
    );
  }
  // ...and tags only as part of those creations (TagSpecifications).
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ec2:CreateTags'],
      resources: ec2Arns(stack, 'snapshot', 'image', 'volume', 'instance'),
      conditions: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateImage', 'CreateVolume', 'RunInstances'] } },
    }),
  );
  // The sources: a volume to snapshot, an instance (and its volumes) to image, only with a project tag.
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['ec2:CreateSnapshot'], resources: ec2Arns(stack, 'volume'), conditions: carries('aws:ResourceTag', project) }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['ec2:CreateImage'], resources: ec2Arns(stack, 'instance', 'volume'), conditions: carries('aws:ResourceTag', project) }),
  );
  // What a restore starts from, and what a delete removes: only Karbor's checkpoint artifacts.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ec2:CreateVolume', 'ec2:RunInstances', 'ec2:DeleteSnapshot', 'ec2:DeregisterImage'],
      resources: ec2Arns(stack, 'snapshot', 'image'),
      conditions: carries('aws:ResourceTag', CHECKPOINT_TAG),
    }),
  );
  // RunInstances also touches the network it launches into; those carry no tags of ours.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ec2:RunInstances'],
      resources: ec2Arns(stack, 'subnet', 'network-interface', 'security-group', 'key-pair'),
    }),
  );

  const tables = stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' });
  const backups = stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*/backup/*' });
  // ListBackups has no resource-level permissions.
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:ListBackups'], resources: ['*'] }));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [tables] }));
  // DynamoDB authorizes table actions on the table's tags (aws:ResourceTag, DynamoDB ABAC).
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:CreateBackup', 'dynamodb:ExportTableToPointInTime'],
      resources: [tables],
      conditions: carries('aws:ResourceTag', project),
    }),
  );
  // Backups cannot be tagged, and a restore's target table does not exist yet: ARNs only.
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup', 'dynamodb:RestoreTableFromBackup'], resources: [backups] }),
  );
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:RestoreTableFromBackup'], resources: [tables] }));
  // A restored table is tagged once it exists (RestoreTableFromBackup takes no tags): only with a restore's tags.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:TagResource'],
      resources: [tables],
      conditions: carries('aws:RequestTag', project, CHECKPOINT_TAG, RESTORE_TAG),
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
  // Karbor's own table is nobody's to back up, restore over, export or tag, whatever the above allows.
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.DENY,
      actions: [
        'dynamodb:CreateBackup',
        'dynamodb:RestoreTableFromBackup',
        'dynamodb:RestoreTableToPointInTime',
        'dynamodb:ExportTableToPointInTime',
        'dynamodb:DeleteBackup',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
      ],
      resources: [targets.table.tableArn, `${targets.table.tableArn}/backup/*`],
    }),
  );
};
