import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { type KeyAttribute, type TableDefinition, tableKeeping } from '../../shared/dynamo/table';
import type { BankKey } from '../config';
import type { StackNames } from '../names';
import { StackPart } from './stack-part';

export interface KarborDataProps {
  names: StackNames;
  /** RETAIN with deletion protection (`karbor:deletionProtection`), else DESTROY. */
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
  /** How many of the earlier design's plan indexes to keep (`karbor:legacyPlanIndexes`). */
  legacyPlanIndexes: number;
  /** The access logs are kept as long as the function logs. */
  logRetention: RetentionDays;
  /** S3 Object Lock on the bank (`karbor:bankObjectLock`) and its default retention in days (`karbor:bankLockDays`). */
  bankObjectLock: 'none' | 'governance' | 'compliance';
  bankLockDays: number;
  /** Days a noncurrent bank version is kept (`karbor:bankNoncurrentDays`). */
  bankNoncurrentDays: number;
  /** Days a report's files are kept (`karbor:reportRetentionDays`). */
  reportRetentionDays: number;
  /** The bank's encryption (`karbor:bankKey`): a key the stack makes, an existing key's ARN, or SSE-S3. */
  bankKey: BankKey;
}

/** What the account's IAM may grant on the bank key beyond its use: administering it (never using it outside S3). */
const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/** The use of the bank key: S3's, for a principal of this account, on a bank object. */
export const BANK_KEY_USE = ['kms:Decrypt', 'kms:GenerateDataKey'];

const attributeType = (k: KeyAttribute): AttributeType => (k.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);
const key = (k: KeyAttribute) => ({ name: k.name, type: attributeType(k) });

/** What the app keeps and says: the single table, the S3 bank with its access logs, and the karbor event bus. */
export class KarborData extends StackPart {
  readonly table: Table;
  readonly bus: EventBus;
  readonly bank: Bucket;
  /** The bank's customer managed KMS key (`karbor:bankKey` create or a key ARN); none with SSE-S3. */
  readonly bankKey?: IKey;

  constructor(scope: Construct, id: string, props: KarborDataProps) {
    super(scope, id);
    // In the stack's scope, not this construct's: the logical ids of the table and buckets predate the split (StackPart).
    this.table = this.singleTable(tableKeeping(props.legacyPlanIndexes), props);
    this.bus = new EventBus(this.stack, 'Bus', { eventBusName: props.names.eventBus });
    // Without deletion protection the bucket is destroyed with the stack, which
    // CloudFormation can do only once it is empty (no auto-delete custom resource).
    const bucketDefaults = {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    };
    // S3 server access logs of the bank (who read or wrote which checkpoint's objects), kept as long as the function logs.
    const accessLogs = new Bucket(this.stack, 'AccessLogs', { ...bucketDefaults, lifecycleRules: [{ expiration: Duration.days(props.logRetention) }] });
    const lockDays = Duration.days(props.bankLockDays);
    this.bank = new Bucket(this.stack, 'Bank', {
      ...bucketDefaults,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'bank/',
      // Replaced and deleted versions go after a while; S3 keeps a version under Object Lock until its retention ends.
      lifecycleRules: [
        { id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: Duration.days(props.bankNoncurrentDays), expiredObjectDeleteMarker: true },
        // Reports (docs/decisions.md §22) are copies of what the table holds: they go after their retention (the noncurrent rule then removes the version).
        { id: 'ExpireReports', prefix: 'reports/', expiration: Duration.days(props.reportRetentionDays) },
      ],
      // docs/operations.md, Checkpoint locks on AWS: only a new bucket can get Object Lock.
      ...(props.bankObjectLock === 'none'
        ? {}
        : {
            objectLockEnabled: true,
            objectLockDefaultRetention:
              props.bankObjectLock === 'compliance' ? ObjectLockRetention.compliance(lockDays) : ObjectLockRetention.governance(lockDays),
          }),
    });
    this.bankKey = this.encryptBank(props);
  }

  /**
   * SSE-KMS with the bank key and an S3 bucket key (one data key per bucket
   * and period rather than a KMS request per object). Set on the bucket's
   * template, not through `Bucket.encryptionKey`: CDK's bucket grants would
   * then add kms statements without `kms:ViaService`; infra/grants.ts adds
   * them with it (docs/decisions.md §27).
   */
  private encryptBank(props: KarborDataProps): IKey | undefined {
    if (props.bankKey === 's3') return undefined;
    const key = props.bankKey === 'create' ? this.newBankKey(props) : Key.fromKeyArn(this.stack, 'BankKeyRef', props.bankKey);
    (this.bank.node.defaultChild as CfnBucket).bucketEncryption = {
      serverSideEncryptionConfiguration: [{ bucketKeyEnabled: true, serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.keyArn } }],
    };
    return key;
  }

  /**
   * Rotated yearly. Its policy: the account administers it through IAM, and
   * uses it only through S3 (`kms:ViaService`), so no IAM policy, however
   * broad, decrypts bank data outside S3's own reads.
   */
  private newBankKey(props: KarborDataProps): Key {
    const root = new AccountRootPrincipal();
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${this.stack.region}.amazonaws.com`, 'kms:CallerAccount': this.stack.account } };
    return new Key(this.stack, 'BankKey', {
      description: `${props.names.prefix} bank: SSE-KMS of the checkpoint bank (docs/decisions.md §27)`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({ sid: 'Administer', principals: [root], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }),
          new PolicyStatement({ sid: 'UseThroughS3', principals: [root], actions: BANK_KEY_USE, resources: ['*'], conditions: viaS3 }),
        ],
      }),
    });
  }

  /** The table from the one shared definition (shared/dynamo/table.ts). */
  private singleTable(def: TableDefinition, props: KarborDataProps): Table {
    const table = new Table(this.stack, 'Table', {
      partitionKey: key(def.partitionKey),
      sortKey: key(def.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      timeToLiveAttribute: def.ttlAttribute,
      removalPolicy: props.removalPolicy,
    });
    for (const index of def.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }
}
