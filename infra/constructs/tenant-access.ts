import { Aws, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ArnPrincipal, Effect, type IRole, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RESTORE_TABLE_PREFIX } from '../../shared/features/protection/restore-name';
import { CHECKPOINT_TAG, RESTORE_TAG } from '../../shared/features/protection/tags';

export interface TenantAccessProps {
  /** The roles that may assume it (the functions with the `protect-aws` grant). */
  trusted: readonly IRole[];
  /** The project tag key (karbor:projectTagKey): the session tag and the resources' tag the statements compare. */
  projectTagKey: string;
  /** Karbor's own table and bank: denied to the role whatever else allows. */
  table: ITable;
  bank: IBucket;
}

/** A resource kind of the statements below: its ARN pattern in this account and region. */
type Kind =
  | 'volume'
  | 'snapshot'
  | 'image'
  | 'instance'
  | 'subnet'
  | 'security-group'
  | 'network-interface'
  | 'key-pair'
  | 'table'
  | 'backup'
  | 'restore-target'
  | '*';

/**
 * Every allowance of the tenant role that does not compare the resource's (or
 * the request's) project tag with the session's, and why: the exempt
 * statements are built from this list, test/infra/iam-simulation.test.ts
 * checks it, docs/operations.md (Tenant isolation in IAM) restates it.
 */
export const TENANT_EXEMPTIONS: readonly { actions: readonly string[]; kinds: readonly Kind[]; reason: string }[] = [
  {
    actions: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:DescribeImages', 'dynamodb:ListBackups'],
    kinds: ['*'],
    reason:
      "no resource-level permissions (the Service Authorization Reference lists no resource type for them); they read metadata only, and the plugins filter what they see by Karbor's tags",
  },
  {
    actions: ['ec2:RunInstances'],
    kinds: ['subnet', 'security-group', 'network-interface', 'key-pair'],
    reason:
      "the network a restored instance launches into: the protected instance's subnet and security groups, which belong to the account rather than to one project, and the network interface RunInstances creates untagged",
  },
  {
    actions: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup', 'dynamodb:RestoreTableFromBackup'],
    kinds: ['backup'],
    reason:
      "on-demand backups take no tags and IAM has no condition key for them: scoped by ARN only; the plugin names only the backups recorded in the project's bank folder or listed for the project's table; Karbor's own table's backups are denied",
  },
  {
    actions: ['dynamodb:RestoreTableFromBackup', 'dynamodb:DescribeTable', ...restoreTargetData()],
    kinds: ['restore-target'],
    reason: `a restore's new table does not exist, so carries no tag, while RestoreTableFromBackup authorizes it (and AWS requires the data actions on it): confined to names starting with ${RESTORE_TABLE_PREFIX} (shared/features/protection/restore-name.ts) and to tables not yet tagged for a project; once tagged, only its own project's`,
  },
];

/** The data actions AWS requires on the target table of RestoreTableFromBackup (DynamoDB developer guide, "Using IAM with DynamoDB backup and restore"). */
function restoreTargetData(): string[] {
  return ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem'];
}

/** The actions the tenant role allows on a restore target (by name prefix), tagged or not yet. */
export const RESTORE_TARGET_ACTIONS: readonly string[] = TENANT_EXEMPTIONS.find((e) => e.kinds.includes('restore-target'))!.actions;

/**
 * The tenant-access role: what the protection worker's plugins act as, one
 * session per project (shared/features/protection/adapters/tenant-credentials.ts).
 * The worker's role may assume it only with the session tag
 * `<project tag key>=<project>` and no other; every statement on customer
 * EC2 and DynamoDB resources compares `aws:ResourceTag/<key>` (or, on what a
 * call creates, `aws:RequestTag/<key>`) with `${aws:PrincipalTag/<key>}`,
 * outside TENANT_EXEMPTIONS. Karbor's own table and bank are denied.
 */
export class TenantAccess extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: TenantAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const key = props.projectTagKey;
    const [first, ...rest] = props.trusted;
    if (!first) throw new Error('the tenant-access role needs a role to trust');
    // Only with the project's session tag, and no other tag a caller could add to widen its session.
    const trust = { Null: { [`aws:RequestTag/${key}`]: 'false' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': [key] } };
    this.role = new Role(this, 'Role', {
      assumedBy: new ArnPrincipal(first.roleArn).withConditions(trust).withSessionTags(),
      description: "Karbor plugins acting for one project: a session's project tag must match the resource's",
    });
    for (const role of rest) {
      this.role.assumeRolePolicy?.addStatements(
        new PolicyStatement({ principals: [new ArnPrincipal(role.roleArn)], actions: ['sts:AssumeRole', 'sts:TagSession'], conditions: trust }),
      );
    }

    const arns = (...kinds: Kind[]): string[] =>
      kinds.map((k) => {
        if (k === '*') return '*';
        if (k === 'snapshot' || k === 'image') return `arn:${Aws.PARTITION}:ec2:${Aws.REGION}::${k}/*`;
        if (k === 'table') return stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' });
        if (k === 'backup') return stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*/backup/*' });
        if (k === 'restore-target') return stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: `${RESTORE_TABLE_PREFIX}*` });
        return stack.formatArn({ service: 'ec2', resource: k, resourceName: '*' });
      });
    const session = `\${aws:PrincipalTag/${key}}`;
    /** The project's own: the resource carries the session's project tag. */
    const owned = { [`aws:ResourceTag/${key}`]: session };
    /** Created for the project: the request tags it with the session's project and a checkpoint. */
    const creating = { StringEquals: { [`aws:RequestTag/${key}`]: session }, Null: { [`aws:RequestTag/${CHECKPOINT_TAG}`]: 'false' } };
    /** What Karbor made for the project: its project tag and a checkpoint tag. */
    const made = { StringEquals: owned, Null: { [`aws:ResourceTag/${CHECKPOINT_TAG}`]: 'false' } };
    const allow = (actions: string[], kinds: Kind[], conditions?: Record<string, unknown>) =>
      this.role.addToPolicy(new PolicyStatement({ actions, resources: arns(...kinds), conditions }));

    // The sources: a volume to snapshot, an instance to image, a table to back up, only the project's own.
    allow(['ec2:CreateSnapshot'], ['volume'], { StringEquals: owned });
    allow(['ec2:CreateImage'], ['instance'], { StringEquals: owned });
    allow(['dynamodb:CreateBackup'], ['table'], { StringEquals: owned });
    // What a call creates, one statement per action and the kinds it creates, so a request tag never stands in for a source's tag.
    allow(['ec2:CreateSnapshot'], ['snapshot'], creating);
    allow(['ec2:CreateImage'], ['image', 'snapshot'], creating);
    allow(['ec2:CreateVolume'], ['volume'], creating);
    allow(['ec2:RunInstances'], ['instance', 'volume'], creating);
    // ...tagged only as part of those creations (TagSpecifications), with the session's project.
    allow(['ec2:CreateTags'], ['snapshot', 'image', 'volume', 'instance'], {
      StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateImage', 'CreateVolume', 'RunInstances'], [`aws:RequestTag/${key}`]: session },
    });
    // What a restore starts from and a delete removes: the project's checkpoint artifacts only.
    allow(['ec2:CreateVolume', 'ec2:RunInstances', 'ec2:DeleteSnapshot'], ['snapshot'], made);
    allow(['ec2:RunInstances', 'ec2:DeregisterImage'], ['image'], made);
    // A verification's scratch volume (and only what Karbor made for the project) is deleted by the drill that made it.
    allow(['ec2:DeleteVolume'], ['volume'], made);
    // A restored table is the project's once tagged: tagged with a restore's tags, and only while untagged or already the project's.
    const tagging = { [`aws:RequestTag/${key}`]: session };
    const restoreTags = { [`aws:RequestTag/${CHECKPOINT_TAG}`]: 'false', [`aws:RequestTag/${RESTORE_TAG}`]: 'false' };
    allow(['dynamodb:TagResource'], ['restore-target'], { StringEquals: tagging, Null: { ...restoreTags, [`aws:ResourceTag/${key}`]: 'true' } });
    allow(['dynamodb:TagResource'], ['restore-target'], { StringEquals: { ...tagging, ...owned }, Null: restoreTags });

    for (const e of TENANT_EXEMPTIONS) {
      if (e.kinds.includes('restore-target')) {
        // Not yet anyone's (being restored), or already this project's.
        allow([...e.actions], ['restore-target'], { Null: { [`aws:ResourceTag/${key}`]: 'true' } });
        allow([...e.actions], ['restore-target'], { StringEquals: owned });
      } else {
        allow([...e.actions], [...e.kinds]);
      }
    }

    // Karbor's own table (its indexes, streams and backups) and bank are nobody's to touch through this role.
    this.role.addToPolicy(
      new PolicyStatement({ effect: Effect.DENY, actions: ['dynamodb:*'], resources: [props.table.tableArn, `${props.table.tableArn}/*`] }),
    );
    this.role.addToPolicy(new PolicyStatement({ effect: Effect.DENY, actions: ['s3:*'], resources: [props.bank.bucketArn, props.bank.arnForObjects('*')] }));
  }

  /** Lets a function's role assume this role (with the session tag; the trust policy holds the conditions). */
  grantAssume(role: IRole): void {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [this.role.roleArn] }));
  }
}
