import { CfnResource, type IPolicyValidationContext, type IPolicyValidationPlugin, type PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { CfnDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { CfnEventInvokeConfig, CfnEventSourceMapping, CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
// Not in cdk-nag's index: the very function that writes IAM5's finding ids.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag's AwsSolutions and Serverless packs over the app, with every
 * finding we accept acknowledged here, by the kind of resource, with why:
 * a new route or worker needs no new line. Acknowledging runs when the
 * packs do, after synthesis has turned cross-stack references into nested
 * stack parameters, so an IAM5 finding id is the one the pack computes.
 * Whatever is not matched below fails `cdk synth` and test/infra/nag.test.ts.
 */

/** Actions IAM cannot scope to a resource: `Resource: *` is the only way to allow them. */
const RESOURCELESS_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ec2:DescribeInstances',
  'ec2:DescribeVolumes',
  'ec2:DescribeSnapshots',
  'ec2:DescribeImages',
  'dynamodb:ListTables',
  'dynamodb:ListBackups',
  'events:ListRules',
]);

/** IAM5 wildcards the app needs: which resource (flattened as cdk-nag writes it), for which actions, and why. */
const WILDCARDS: { resource: RegExp; actions?: (action: string) => boolean; reason: string }[] = [
  {
    resource: /^\*$/,
    actions: (a) => RESOURCELESS_ACTIONS.has(a),
    reason: 'X-Ray writes (active tracing), EC2 Describe*, DynamoDB ListTables/ListBackups and EventBridge ListRules have no resource-level permissions',
  },
  { resource: /^<[^>]*Table[^>]*>\/index\/\*$/, reason: "the single table's own indexes (shared/dynamo/table.ts), by Table.grantReadData" },
  { resource: /^<[^>]*Bank[^>]*>\/\*$/, reason: "the bank bucket's objects (one prefix per checkpoint), by Bucket.grantRead/grantPut" },
  {
    resource: /^arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule\/[\w.-]+-trigger-\*$/,
    reason: 'the trigger rules this stack makes at run time, one `<stack>-trigger-<id>` rule per trigger (infra/names.ts)',
  },
  {
    resource: /^arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule\/[\w.-]+\/[\w.-]+-trigger-\*$/,
    reason: 'the trigger schedules this stack makes at run time in its own group, one `<stack>-trigger-<id>` each (infra/names.ts)',
  },
  {
    resource: /^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table\/\*$/,
    actions: (a) => a === 'dynamodb:DescribeTable' || a === 'dynamodb:ListTagsOfResource',
    reason: "discovery reads the user's tables' descriptions and tags, known only at run time, and keeps a member's project's by the project tag in code",
  },
  {
    resource: /^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table\/\*$/,
    actions: (a) => a === 'dynamodb:CreateBackup',
    reason:
      "the tenant-access role backs up any of the user's tables only when its project tag equals the session's (aws:PrincipalTag; infra/constructs/tenant-access.ts)",
  },
  {
    resource: /^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table\/\*\/backup\/\*$/,
    reason:
      "on-demand backups take no tags and have no IAM condition key: the tenant-access role's backup actions are scoped by ARN, Karbor's own table's denied (TENANT_EXEMPTIONS, infra/constructs/tenant-access.ts)",
  },
  {
    resource: /^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table\/karbor-restore-\*$/,
    reason:
      "a restore's new table, by the restore naming rule (shared/features/protection/restore-name.ts), untagged or the session's project's (TENANT_EXEMPTIONS, infra/constructs/tenant-access.ts)",
  },
  {
    resource: /^arn:<AWS::Partition>:ec2:<AWS::Region>:(<AWS::AccountId>)?:[a-z-]+\/\*$/,
    reason:
      "the user's EC2 resources, known only at run time: every tenant-access statement compares their project tag with the session's, but for the network RunInstances needs (TENANT_EXEMPTIONS, infra/constructs/tenant-access.ts)",
  },
  {
    resource: /^arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key\/\*$/,
    actions: (a) => a === 'kms:DescribeKey',
    reason:
      "before a copy to another account the worker asks KMS who manages the source snapshots' keys, known only at run time (an AWS managed key is refused: docs/decisions.md §27); DescribeKey reads metadata only",
  },
  {
    resource: /^<[^>]*WorkerFunction[^>]*\.Arn>:\*$/,
    reason: "a durable worker's own executions, of every version (Lambda authorizes checkpoints against `<function>:<version>/durable-execution/...`)",
  },
  // Bucket.grantRead's actions on the bank (and BucketDeployment's on the console bucket).
  {
    resource: /^Action::s3:(GetObject|GetBucket|List|Abort|DeleteObject|PutObject)\*$/,
    reason: "Bucket.grantRead/grantPut's S3 action groups on the app's own buckets",
  },
];

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** CDK's BucketDeployment singleton (the console's files): its handler, role and policy are aws-cdk-lib's. */
const isBucketDeployment = (c: IConstruct): boolean => c.node.path.includes('Custom::CDKBucketDeployment');
const BUCKET_DEPLOYMENT = "CDK's BucketDeployment handler (console files), made by aws-cdk-lib";

/** Acknowledges each IAM5 finding of a policy that every statement producing it has a WILDCARDS entry for. */
const acknowledgeWildcards = (policy: CfnPolicy): void => {
  const cdks = isBucketDeployment(policy)
    ? `${BUCKET_DEPLOYMENT}: reads the CDK asset bucket, writes the console bucket's objects, invalidates the distribution`
    : undefined;
  const document = Stack.of(policy).resolve(policy.policyDocument) as { Statement?: { Effect: string; Action: unknown; Resource: unknown }[] };
  const verdicts = new Map<string, string | false>();
  const judge = (finding: string, reason: string | undefined) => {
    const before = verdicts.get(finding);
    verdicts.set(finding, before === false || reason === undefined ? false : reason);
  };
  for (const st of document.Statement ?? []) {
    if (st.Effect !== 'Allow') continue;
    const actions = list(st.Action) as string[];
    for (const a of actions.filter((x) => x.includes('*'))) {
      judge(`Action::${a}`, cdks ?? WILDCARDS.find((w) => w.resource.test(`Action::${a}`))?.reason);
    }
    for (const r of list(st.Resource)
      .map(flattenCfnReference)
      .filter((x) => x.includes('*'))) {
      const w = WILDCARDS.find((x) => x.resource.test(r) && (!x.actions || actions.every(x.actions)));
      judge(`Resource::${r}`, cdks ?? w?.reason);
    }
  }
  for (const [finding, reason] of verdicts) {
    if (reason) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
};

const ack = (c: IConstruct, reason: string, ...ids: string[]): void => {
  for (const id of ids) Validations.of(c).acknowledge({ id, reason });
};

const acknowledgeResource = (r: CfnResource): void => {
  if (r instanceof CfnPolicy) acknowledgeWildcards(r);
  else if (r instanceof CfnFunction) {
    // Our functions need no L1 acknowledgement: nodejs24.x is the newest Node runtime aws-cdk-lib knows.
    if (isBucketDeployment(r)) {
      ack(
        r,
        `${BUCKET_DEPLOYMENT}: its runtime and tracing are aws-cdk-lib's choice`,
        'AwsSolutions-L1',
        'Serverless-LambdaLatestVersion',
        'Serverless-LambdaTracing',
      );
    }
    if (r.deadLetterConfig === undefined) {
      ack(
        r,
        'invoked synchronously (API Gateway routes and authorizer) or by CloudFormation (custom resources), which both see the error: nothing to dead-letter',
        'Serverless-LambdaDLQ',
      );
    }
  } else if (r instanceof CfnRole && isBucketDeployment(r)) {
    const basic = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
    ack(r, `${BUCKET_DEPLOYMENT}: logs through the managed basic execution policy`, basic);
  } else if (r instanceof CfnEventInvokeConfig) {
    ack(
      r,
      "this worker's failed asynchronous invocations go to its dead-letter queue (DeadLetterConfig), which an alarm watches",
      'Serverless-LambdaAsyncFailureDestination',
    );
  } else if (r instanceof CfnQueue) {
    // The firings queue redrives to fire-trigger's dead-letter queue; every other queue is a dead-letter queue.
    if (r.redrivePolicy === undefined) ack(r, 'a dead-letter queue itself: nothing further to redrive to', 'Serverless-SQSRedrivePolicy');
  } else if (r instanceof CfnEventSourceMapping) {
    ack(
      r,
      "the firings queue's mapping: Lambda offers on-failure destinations only for stream and Kafka sources; a firing that fails 3 times moves to fire-trigger's dead-letter queue by the queue's redrive policy, which an alarm watches",
      'Serverless-LambdaEventSourceMappingDestination',
    );
  } else if (r instanceof CfnRoute) {
    if (Stack.of(r).resolve(r.authorizationType) === 'NONE') {
      ack(
        r,
        'a route without a token: the version documents (Karbor serves them to anyone), CORS preflights, or every route when karbor:authMode=noauth was asked for by name (synth warns THE API IS OPEN)',
        'AwsSolutions-APIG4',
      );
    }
  } else if (r instanceof CfnUserPool) {
    ack(
      r,
      'MFA stays optional (TOTP offered): the console and `aws cognito-idp initiate-auth` sign in with a password the karbor CLI then uses',
      'AwsSolutions-COG2',
    );
    ack(
      r,
      "threat protection needs Cognito's Plus plan, billed per monthly active user, so the stack leaves it off (docs/operations.md, Authentication)",
      'AwsSolutions-COG8',
    );
  } else if (r instanceof CfnBucket) {
    if (r.node.path.endsWith('/AccessLogs/Resource')) ack(r, 'the access-log bucket itself: logging it into itself would loop', 'AwsSolutions-S1');
    if (r.node.path.endsWith('/Console/Bucket/Resource')) {
      ack(
        r,
        "the console's built files, the same for everyone and replaced on each deploy; the API's access log records what the console does",
        'AwsSolutions-S1',
      );
    }
  } else if (r instanceof CfnDistribution) {
    ack(r, "the console's static files: the API's access log records what the console does with them", 'AwsSolutions-CFR3');
    ack(
      r,
      "the default *.cloudfront.net certificate, whose minimum protocol CloudFront sets; a custom domain's certificate would allow TLSv1.2_2021",
      'AwsSolutions-CFR4',
    );
    ack(r, 'the console is static files for anyone who has an API token; no geography to exclude', 'AwsSolutions-CFR1');
    ack(r, 'a WAF web ACL costs a monthly fee per ACL; the API it calls has its own throttling (karbor:throttleRate)', 'AwsSolutions-CFR2');
  }
};

const walk = (c: IConstruct, visit: (r: CfnResource) => void): void => {
  if (CfnResource.isCfnResource(c)) visit(c);
  for (const child of c.node.children) walk(child, visit);
};

/**
 * The two packs as one validation plugin, acknowledging first. Apply with
 * `Validations.of(app).addPlugins(new KarborNagChecks())`; tests call
 * `validateScope(stack)` after synthesizing it.
 */
export class KarborNagChecks implements IPolicyValidationPlugin {
  readonly name = 'karbor-cdk-nag';
  private readonly packs = [new AwsSolutionsChecks(), new ServerlessChecks()];

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const app = (context as IPolicyValidationContext & { appConstruct?: IConstruct }).appConstruct;
    if (!app) throw new Error('this aws-cdk-lib gives validation plugins no construct tree; cdk-nag needs it');
    return this.validateScope(app);
  }

  validateScope(scope: IConstruct): PolicyValidationPluginReport {
    walk(scope, acknowledgeResource);
    const reports = this.packs.map((p) => p.validateScope(scope));
    return { success: reports.every((r) => r.success), violations: reports.flatMap((r) => r.violations) };
  }
}
