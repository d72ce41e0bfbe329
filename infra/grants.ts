import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Grant } from '../shared/http/routes';
import type { SchedulerMode } from './config';
import type { ApiFunction } from './constructs/api-function';
import type { TenantAccess } from './constructs/tenant-access';
import type { StackNames } from './names';
import { type Destination, formatDestinations } from '../shared/features/destinations/model';
import { CHECKPOINT_TAG } from '../shared/features/protection/tags';

export interface GrantTargets {
  bus: IEventBus;
  bank: IBucket;
  /** The bank's KMS key (`karbor:bankKey`); none: SSE-S3. */
  bankKey?: IKey;
  /** Whether the bank has S3 Object Lock (`karbor:bankObjectLock`): only then does a lock reach its objects. */
  bankObjectLock: boolean;
  scheduler: SchedulerMode;
  /** The names derived from the stack (infra/names.ts): schedule group and trigger rule prefix. */
  names: StackNames;
  /** Scheduler and migrating modes: the queue the schedules send firings to (KarborScheduler). */
  firings?: IQueue;
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
  /** The role the `protect-aws` functions assume per project (made by KarborJobs.wire). */
  tenantAccess?: TenantAccess;
  /** The copy destinations (`karbor:destinations`, docs/decisions.md §25); none by default. */
  destinations?: readonly Destination[];
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
        fn.addSetting('KARBOR_PROJECT_TAG_KEY', targets.projectTagKey);
        break;
      case 'publish-events':
        targets.bus.grantPutEventsTo(fn);
        fn.addSetting('EVENT_BUS_NAME', targets.bus.eventBusName);
        break;
      case 'bank-read':
        targets.bank.grantRead(fn);
        grantBankKey(fn, targets, ['kms:Decrypt']);
        fn.addSetting('BANK_BUCKET', targets.bank.bucketName);
        break;
      case 'bank-write':
        // Not grantReadWrite: its s3:DeleteObject* includes s3:DeleteObjectVersion, which would let
        // a function purge the versioned bank's history. A delete here only adds a delete marker.
        targets.bank.grantRead(fn);
        targets.bank.grantPut(fn);
        fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [targets.bank.arnForObjects('*')] }));
        grantBankKey(fn, targets, ['kms:Decrypt', 'kms:GenerateDataKey']);
        fn.addSetting('BANK_BUCKET', targets.bank.bucketName);
        // What a checkpoint records as the key of its bank objects (docs/decisions.md §27).
        fn.addSetting('KARBOR_BANK_KEY', targets.bankKey?.keyArn ?? BANK_SSE_S3);
        break;
      case 'bank-lock':
        fn.addSetting('BANK_BUCKET', targets.bank.bucketName);
        fn.addSetting('KARBOR_BANK_OBJECT_LOCK', targets.bankObjectLock ? '1' : '0');
        if (!targets.bankObjectLock) break;
        // The checkpoint's objects are listed, then each gets its retention or hold; bypass lets an admin shorten governance.
        targets.bank.grantRead(fn);
        grantBankKey(fn, targets, ['kms:Decrypt']);
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['s3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention'],
            resources: [targets.bank.arnForObjects('checkpoints/*')],
          }),
        );
        break;
      case 'trigger-schedules':
        grantTriggerSchedules(fn, stack, targets);
        break;
      case 'protect-aws':
        // The plugins' AWS calls run as the tenant-access role, one session per project (infra/constructs/tenant-access.ts).
        if (!targets.tenantAccess) throw new Error(`${fn.node.path} has the protect-aws grant but the stack made no tenant-access role`);
        targets.tenantAccess.grantAssume(fn.role!);
        fn.addSetting('KARBOR_TENANT_ROLE_ARN', targets.tenantAccess.role.roleArn);
        fn.addSetting('KARBOR_PROJECT_TAG_KEY', targets.projectTagKey);
        break;
      case 'destinations':
      case 'copy-destinations':
        grantDestinations(fn, targets.destinations ?? [], grant === 'copy-destinations');
        break;
      default: {
        const unknown: never = grant;
        throw new Error(`unknown grant ${String(unknown)}`);
      }
    }
  }
};

/** KARBOR_BANK_KEY of an SSE-S3 bank: S3's own keys, which no KMS key names. */
export const BANK_SSE_S3 = 'aws-owned';

/**
 * The bank key's use, on that key only and only through S3 in the stack's
 * Region (`kms:ViaService`): reading a bank object needs Decrypt, writing one
 * GenerateDataKey (and Decrypt, for S3's bucket key and multipart uploads).
 */
const grantBankKey = (fn: ApiFunction, targets: GrantTargets, actions: string[]): void => {
  if (!targets.bankKey) return;
  const stack = Stack.of(fn);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions,
      resources: [targets.bankKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }),
  );
};

const grantTriggerSchedules = (fn: ApiFunction, stack: Stack, targets: GrantTargets): void => {
  if (!targets.fireTrigger) {
    throw new Error(
      `${fn.node.path} has the trigger-schedules grant but shared/workers.ts has no worker with source trigger-schedules (the fire-trigger function)`,
    );
  }
  // fire-trigger itself targets its own invoked ARN: its environment cannot name its own ARN (a cycle).
  if (fn !== targets.fireTrigger) fn.addSetting('FIRE_TRIGGER_ARN', targets.fireTrigger.functionArn);
  fn.addSetting('KARBOR_SCHEDULER', targets.scheduler);
  fn.addSetting('TRIGGER_NAME_PREFIX', targets.names.triggerPrefix);
  if (targets.triggerDeadLetters) fn.addSetting('TRIGGER_DLQ_ARN', targets.triggerDeadLetters.queueArn);
  if (targets.scheduler === 'rules') {
    const rules = [triggerRuleArnPattern(stack, targets.names)];
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['events:PutRule', 'events:RemoveTargets', 'events:DeleteRule', 'events:DescribeRule', 'events:ListTargetsByRule'],
        resources: rules,
      }),
    );
    // A trigger rule may only ever target fire-trigger (unqualified or a version or alias of it).
    const arn = targets.fireTrigger.functionArn;
    const putTargets = new PolicyStatement({
      actions: ['events:PutTargets'],
      resources: rules,
      conditions: { Null: { 'events:TargetArn': 'false' }, 'ForAllValues:ArnLike': { 'events:TargetArn': [arn, `${arn}:*`] } },
    });
    // fire-trigger's own default policy cannot name its ARN (the function depends on that policy: a cycle): a policy of its own can.
    if (fn === targets.fireTrigger) new Policy(fn, 'PutTargetsPolicy', { statements: [putTargets], roles: [fn.role!] });
    else fn.addToRolePolicy(putTargets);
    return;
  }
  // Migrating: a trigger's rule is only ever removed (adapters/migrating-schedules.ts).
  if (targets.scheduler === 'migrating') {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['events:RemoveTargets', 'events:DeleteRule'], resources: [triggerRuleArnPattern(stack, targets.names)] }),
    );
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
  fn.addSetting('SCHEDULER_ROLE_ARN', targets.schedulerRole.roleArn);
  fn.addSetting('SCHEDULE_GROUP', targets.names.scheduleGroup);
  // The schedules target the firings queue (fire-trigger included: the queue does not depend on it).
  if (targets.firings) fn.addSetting('FIRE_TRIGGER_QUEUE_ARN', targets.firings.queueArn);
};

/** What a copy's plugins make or read in a destination without a role, on the worker's own role: the copy, its restore and verify. */
const DESTINATION_EC2_MAKE = [
  'ec2:CopyImage',
  'ec2:CopySnapshot',
  'ec2:CreateVolume',
  'ec2:RunInstances',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeImages',
  'ec2:DescribeSnapshots',
  'ec2:DescribeInstances',
  'ec2:DescribeVolumes',
];
/** What changes or removes something there: only Karbor's own artifacts (those with the checkpoint tag). */
const DESTINATION_EC2_CHANGE = [
  'ec2:CreateTags',
  'ec2:DeleteSnapshot',
  'ec2:DeleteVolume',
  'ec2:DeregisterImage',
  'ec2:ModifyImageAttribute',
  'ec2:ModifySnapshotAttribute',
];

/**
 * Copy destinations (docs/decisions.md §25), apart from the grants above:
 * with none configured a function gets nothing. Every function with either
 * grant reads KARBOR_DESTINATIONS; the worker's (`copy-destinations`) role
 * also
 * - assumes each destination's role (sts:AssumeRole on exactly those ARNs;
 *   the external id is in the request, the destination's trust policy
 *   checks it: docs/operations.md, Copy destinations);
 * - shares a copy's source with another account (ModifySnapshotAttribute,
 *   ModifyImageAttribute in the stack's own Region, on Karbor's checkpoint
 *   artifacts only: the checkpoint tag), after reading its keys
 *   (DescribeSnapshots/Images, kms:DescribeKey on the account's keys in its
 *   Region: an AWS managed key is refused, decisions §27);
 * - for a destination without a role, acts in that Region itself: the copy
 *   calls and what a copy's restore, verify and delete send, confined to
 *   those Regions by `aws:RequestedRegion`; what changes or removes a
 *   resource there only on Karbor's artifacts (the checkpoint tag). Not per
 *   project: the worker's own role, not the tenant session (decisions §25).
 */
export const grantDestinations = (fn: ApiFunction, destinations: readonly Destination[], copies: boolean): void => {
  if (destinations.length === 0) return;
  fn.addSetting('KARBOR_DESTINATIONS', formatDestinations(destinations));
  if (!copies) return;
  const stack = Stack.of(fn);
  const roles = destinations.flatMap((d) => (d.roleArn === undefined ? [] : [d.roleArn]));
  if (roles.length > 0) fn.addToRolePolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: roles }));
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ec2:ModifySnapshotAttribute', 'ec2:ModifyImageAttribute'],
      resources: [`arn:${stack.partition}:ec2:${stack.region}::snapshot/*`, `arn:${stack.partition}:ec2:${stack.region}::image/*`],
      conditions: { Null: { [`aws:ResourceTag/${CHECKPOINT_TAG}`]: 'false' } },
    }),
  );
  if (destinations.some((d) => d.accountId !== undefined)) {
    // Before a copy to another account: the source's keys (DescribeSnapshots/Images have no resource-level permissions),
    // and whether KMS or AWS manages each (docs/decisions.md §27): the stack's own account and Region only.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['ec2:DescribeSnapshots', 'ec2:DescribeImages'], resources: ['*'] }));
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['kms:DescribeKey'], resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })] }),
    );
  }
  // Destination banks (docs/decisions.md §26): a copy's records and a table copy's export go into the destination's
  // bank, which the worker reads, writes and (a copy's delete) clears under `checkpoints/`; never a version delete.
  const banks = [...new Set(destinations.flatMap((d) => (d.bank === undefined ? [] : [d.bank])))];
  if (banks.length > 0) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: banks.map((b) => `arn:${stack.partition}:s3:::${b}`) }));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: banks.map((b) => `arn:${stack.partition}:s3:::${b}/checkpoints/*`),
      }),
    );
  }
  const regions = [...new Set(destinations.filter((d) => d.roleArn === undefined).map((d) => d.region))];
  if (regions.length > 0) {
    const inRegions = { StringEquals: { 'aws:RequestedRegion': regions } };
    fn.addToRolePolicy(new PolicyStatement({ actions: DESTINATION_EC2_MAKE, resources: ['*'], conditions: inRegions }));
    // Tags on what a copy creates (in its create call), else only on, and changes only to, resources with the checkpoint tag.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ec2:CreateTags'],
        resources: ['*'],
        conditions: { ...inRegions, StringLike: { 'ec2:CreateAction': ['CopySnapshot', 'CopyImage', 'CreateVolume', 'RunInstances'] } },
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: DESTINATION_EC2_CHANGE,
        resources: ['*'],
        conditions: { ...inRegions, Null: { [`aws:ResourceTag/${CHECKPOINT_TAG}`]: 'false' } },
      }),
    );
  }
};
