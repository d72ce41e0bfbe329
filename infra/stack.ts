import path from 'node:path';
import { Annotations, CfnOutput, CustomResource, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type CfnStage, CorsHttpMethod, HttpApi, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, ClientAttributes, Mfa, StringAttribute, UserPool, type UserPoolClient, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AUTHORIZER_MODULE } from '../shared/auth/authorizer-context';
import { COGNITO_CLAIMS } from '../shared/auth/jwt-claims';
import { fallbackRoute, routes, type RouteDef } from '../shared/http/routes';
import { type KeyAttribute, type TableDefinition, tableKeeping } from '../shared/dynamo/table';
import { METRICS_NAMESPACE } from '../shared/observability/names';
import { workers, type WorkerDef } from '../shared/workers';
import { HEARTBEAT_EVENT, SERVICE_HEARTBEAT_SECONDS } from '../shared/features/services/model';
import { configFromContext, type KarborConfig } from './config';
import { ApiFunction } from './constructs/api-function';
import { KarborConsole } from './constructs/console';
import { featureOf, RouteStack } from './constructs/route-stack';
import { checkProviderFiles } from '../shared/features/providers/config';
import { CONFIG_FILES } from '../shared/features/providers/registry';
import { applyGrants, triggerRuleArnPattern, type GrantTargets } from './grants';
import { Monitoring } from './monitoring';
import { stackNames, type StackNames } from './names';
import { findRepoRoot } from './repo-root';

export interface KarborStackProps extends StackProps {
  /** Overrides the `karbor:*` context values. */
  config?: Partial<KarborConfig>;
  /** Defaults to the folder holding cdk.json. */
  repoRoot?: string;
  /** Overrides shared/http/routes.ts and shared/workers.ts (tests only). */
  routes?: readonly RouteDef[];
  workers?: readonly WorkerDef[];
  /** The built console; default <repoRoot>/console/dist; null: no console (tests). */
  consoleDir?: string | null;
}

/** Every event the app puts on the bus has this `source`. */
export const EVENT_SOURCE = 'karbor';

/** Where API Gateway's JWT authorizer finds the token: Karbor's header, so `OS_AUTH_TOKEN=<jwt>` works with the karbor CLI. */
const TOKEN_HEADER = '$request.header.X-Auth-Token';

const DEFAULT_ROUTE_TIMEOUT = 10;
const DEFAULT_WORKER_TIMEOUT = 60;
/** Lambda's own retries of an asynchronous invocation before its dead-letter queue, and the bus rule's. */
const ASYNC_RETRIES = 2;

const attributeType = (k: KeyAttribute): AttributeType => (k.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);
const key = (k: KeyAttribute) => ({ name: k.name, type: attributeType(k) });

/** `protectables.listInstances` -> `ProtectablesListInstances`: readable logical ids. */
const constructName = (id: string): string =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');

/**
 * Karbor on AWS: the single table, one Lambda and one HTTP API route per
 * entry of the route table (in a nested stack per feature), one Lambda per
 * worker wired to its source with a dead-letter queue, the event bus, the
 * S3 bank, and the alarms and dashboard that watch them. Env-agnostic: synth
 * needs no account. Every name it gives derives from the stack's name.
 */
export class KarborStack extends Stack {
  readonly config: KarborConfig;
  readonly names: StackNames;
  readonly table: Table;
  readonly api: HttpApi;
  readonly bus: EventBus;
  readonly bank: Bucket;
  readonly monitoring: Monitoring;
  /** By route id (plus `fallback`). */
  readonly routeFunctions = new Map<string, ApiFunction>();
  /** By worker id. */
  readonly workerFunctions = new Map<string, ApiFunction>();
  /** By worker id: what its sources invoke (a durable worker's `live` alias, else the function). */
  readonly workerTargets = new Map<string, IFunction>();
  /** By worker id: where its failed invocations land. */
  readonly deadLetterQueues = new Map<string, Queue>();
  /** By feature: the nested stacks holding the routes. */
  readonly routeStacks = new Map<string, RouteStack>();
  /** Keystone mode's API authorizer. */
  authorizerFunction?: ApiFunction;
  /** Cognito mode's user pool and the client users sign in with. */
  userPool?: UserPool;
  userPoolClient?: UserPoolClient;
  scheduleGroup?: ScheduleGroup;
  /** Rules mode: the clean-up run when the stack is deleted. */
  cleanupFunction?: ApiFunction;
  /** The web console (S3 + CloudFront), unless skipped. */
  console?: KarborConsole;

  constructor(scope: Construct, id: string, props: KarborStackProps = {}) {
    super(scope, id, props);
    // A bad provider file fails the synth: the functions bundle the files without a validator.
    checkProviderFiles(CONFIG_FILES);
    this.config = { ...configFromContext(this.node), ...props.config };
    this.names = stackNames(this.stackName);
    const repoRoot = props.repoRoot ?? findRepoRoot();
    const routeDefs = props.routes ?? routes;
    const workerDefs = props.workers ?? workers;
    const retain = this.config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = this.singleTable(tableKeeping(this.config.legacyPlanIndexes), retain);

    this.bus = new EventBus(this, 'Bus', { eventBusName: this.names.eventBus });
    // Without deletion protection the bucket is destroyed with the stack, which
    // CloudFormation can do only once it is empty (no auto-delete custom resource).
    const bucketDefaults = { encryption: BucketEncryption.S3_MANAGED, blockPublicAccess: BlockPublicAccess.BLOCK_ALL, enforceSSL: true, removalPolicy: retain };
    // S3 server access logs of the bank (who read or wrote which checkpoint's objects), kept as long as the function logs.
    const accessLogs = new Bucket(this, 'AccessLogs', { ...bucketDefaults, lifecycleRules: [{ expiration: Duration.days(this.config.logRetention) }] });
    this.bank = new Bucket(this, 'Bank', { ...bucketDefaults, versioned: true, serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: 'bank/' });

    // Powertools (Logger, Metrics, Tracer) read their service and namespace from these.
    const observability = { POWERTOOLS_SERVICE_NAME: this.names.prefix, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE };
    const fn = (
      fnScope: Construct,
      name: string,
      def: RouteDef | WorkerDef,
      timeout: number,
      description: string,
      deadLetterQueue?: Queue,
      durable?: WorkerDef['durable'],
    ): ApiFunction =>
      new ApiFunction(fnScope, `${constructName(name)}Function`, {
        repoRoot,
        module: def.module,
        timeout: def.timeout ?? timeout,
        memorySize: def.memory,
        logRetention: this.config.logRetention,
        sourceMaps: this.config.sourceMaps,
        description,
        environment: observability,
        deadLetterQueue,
        ...(durable ? { durableHours: durable.executionHours, reservedConcurrentExecutions: this.config.workerConcurrency } : {}),
      }).bindTable({ table: this.table, access: def.access });

    // Workers first: functions with the trigger-schedules grant need fire-trigger's ARN.
    const targets: GrantTargets = {
      bus: this.bus,
      bank: this.bank,
      scheduler: this.config.scheduler,
      names: this.names,
      table: this.table,
      projectTagKey: this.config.projectTagKey,
    };
    for (const worker of workerDefs) {
      const dlq = this.deadLetterQueue(`${constructName(worker.id)}DeadLetters`);
      const f = fn(this, worker.id, worker, DEFAULT_WORKER_TIMEOUT, `worker ${worker.id}`, dlq, worker.durable);
      this.workerFunctions.set(worker.id, f);
      // A durable function is invoked by a qualified ARN: its rules target the `live` alias of its current version.
      this.workerTargets.set(worker.id, worker.durable ? f.addAlias('live') : f);
      this.deadLetterQueues.set(worker.id, dlq);
      if (worker.source.kind === 'trigger-schedules') {
        if (targets.fireTrigger) throw new Error(`two workers have the trigger-schedules source: ${worker.id} and another`);
        targets.fireTrigger = f;
        targets.triggerDeadLetters = dlq;
      }
    }
    if (targets.fireTrigger) this.wireTriggerSchedules(targets, repoRoot, observability);
    const busRules = new Map<string, { ruleName: string; eventBusName: string }>();
    for (const worker of workerDefs) {
      const f = this.workerFunctions.get(worker.id)!;
      const target = this.workerTargets.get(worker.id)!;
      applyGrants(f, worker.grants ?? [], targets);
      if (worker.source.kind === 'bus') {
        const rule = new Rule(this, `${constructName(worker.id)}Rule`, {
          eventBus: this.bus,
          description: `karbor events for worker ${worker.id}`,
          eventPattern: { source: [EVENT_SOURCE], detailType: [...worker.source.detailTypes] },
          // What EventBridge cannot deliver lands where the function's own failures do.
          targets: [
            new LambdaFunction(target, { retryAttempts: ASYNC_RETRIES, maxEventAge: Duration.hours(6), deadLetterQueue: this.deadLetterQueues.get(worker.id) }),
          ],
        });
        busRules.set(constructName(worker.id), { ruleName: rule.ruleName, eventBusName: this.bus.eventBusName });
      }
      if (worker.source.kind === 'every') {
        new Rule(this, `${constructName(worker.id)}Schedule`, {
          description: `runs worker ${worker.id} every ${worker.source.minutes} minutes`,
          schedule: Schedule.rate(Duration.minutes(worker.source.minutes)),
          targets: [new LambdaFunction(target, { retryAttempts: 0, deadLetterQueue: this.deadLetterQueues.get(worker.id) })],
        });
      }
    }
    this.wireHeartbeat(workerDefs);

    const fallback = fn(this, fallbackRoute.id, fallbackRoute, DEFAULT_ROUTE_TIMEOUT, 'unmatched requests: 404 / 405 fault');
    this.routeFunctions.set(fallbackRoute.id, fallback);
    const { authorizer, routeEnvironment } = this.apiAuth(repoRoot, retain, observability);
    this.api = new HttpApi(this, 'Api', {
      description: 'Karbor v1 API',
      // API Gateway's `$default` route: every request no route matches.
      defaultIntegration: new HttpLambdaIntegration('FallbackIntegration', fallback),
      // Every route, `$default` included, asks the authorizer first, but the version documents.
      ...(authorizer ? { defaultAuthorizer: authorizer } : {}),
      ...(this.config.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: this.config.corsOrigins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
              allowHeaders: ['Content-Type', 'X-Auth-Token', 'Idempotency-Key'],
              exposeHeaders: ['X-Openstack-Request-Id', 'Idempotent-Replayed', 'Retry-After'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.apiEdge();

    const byFeature = new Map<string, RouteDef[]>();
    for (const route of routeDefs) byFeature.set(featureOf(route), [...(byFeature.get(featureOf(route)) ?? []), route]);
    for (const [feature, featureRoutes] of byFeature) {
      const routeStack = new RouteStack(this, `${constructName(feature)}Routes`, {
        api: this.api,
        routes: featureRoutes,
        authorizer,
        constructName,
        makeFunction: (s, route) => fn(s, route.id, route, DEFAULT_ROUTE_TIMEOUT, `${route.method} ${route.path}`),
      });
      this.routeStacks.set(feature, routeStack);
      for (const [routeId, f] of routeStack.functions) this.routeFunctions.set(routeId, f);
    }
    for (const [routeId, f] of this.routeFunctions) {
      const def = routeId === fallbackRoute.id ? fallbackRoute : routeDefs.find((r) => r.id === routeId)!;
      applyGrants(f, def.grants ?? [], targets);
      for (const [k, v] of Object.entries(routeEnvironment)) f.addEnvironment(k, v);
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      service: this.names.prefix,
      api: this.api,
      functions: [
        ...this.workerFunctions.values(),
        ...this.routeFunctions.values(),
        ...[this.authorizerFunction, this.cleanupFunction].filter((f): f is ApiFunction => f !== undefined),
      ],
      deadLetterQueues: new Map([...this.deadLetterQueues].map(([wid, q]) => [constructName(wid), q])),
      busRules,
      scheduleGroup: this.scheduleGroup,
      emails: this.config.alarmEmails,
    });

    if (props.consoleDir !== null) {
      this.console = new KarborConsole(this, 'Console', {
        api: this.api,
        preflight: fallback,
        distDir: props.consoleDir ?? path.join(repoRoot, 'console', 'dist'),
        settings: {
          authMode: this.config.authMode,
          // Cognito mode: the console signs users in with Cognito's InitiateAuth (username and password).
          ...(this.userPoolClient ? { cognitoRegion: this.region, cognitoClientId: this.userPoolClient.userPoolClientId } : {}),
        },
        corsOrigins: this.config.corsOrigins,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Karbor API base: KARBOR_URL is <ApiUrl>/v1/<project>' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'BankBucketName', { value: this.bank.bucketName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn, description: 'Subscribe here to hear of every alarm' });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    for (const [wid, q] of this.deadLetterQueues) new CfnOutput(this, `${constructName(wid)}DeadLetterQueueUrl`, { value: q.queueUrl });
  }

  /** An encrypted, TLS-only queue holding what failed for two weeks (SQS's longest). */
  private deadLetterQueue(id: string): Queue {
    return new Queue(this, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
  }

  /**
   * The API's edge: a JSON access log line per request (API Gateway's request
   * id, the caller as the authorizer saw it, route, status, latency) and the
   * default route throttling. Bodies are capped at 1 MB by the functions
   * (shared/http/body-guard.ts); API Gateway's own cap is 10 MB.
   */
  private apiEdge(): void {
    const logs = new LogGroup(this, 'ApiAccessLogs', { retention: this.config.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const caller: Record<string, string> =
      this.config.authMode === 'keystone'
        ? { user: '$context.authorizer.userId', project: '$context.authorizer.projectId' }
        : this.config.authMode === 'noauth'
          ? {}
          : { user: '$context.authorizer.claims.sub' };
    const format = {
      requestId: '$context.requestId',
      time: '$context.requestTime',
      ip: '$context.identity.sourceIp',
      method: '$context.httpMethod',
      routeKey: '$context.routeKey',
      path: '$context.path',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      integrationLatencyMs: '$context.integrationLatency',
      responseLength: '$context.responseLength',
      ...caller,
      error: '$context.error.message',
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
    };
    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = { destinationArn: logs.logGroupArn, format: JSON.stringify(format) };
    stage.defaultRouteSettings = { throttlingRateLimit: this.config.throttleRate, throttlingBurstLimit: this.config.throttleBurst };
  }

  /**
   * The API's authentication (`karbor:authMode`) and what the routes must be
   * told to read it. Never open unless asked for by name: the default is a
   * Cognito user pool behind API Gateway's native JWT authorizer.
   */
  private apiAuth(
    repoRoot: string,
    removalPolicy: RemovalPolicy,
    environment: Record<string, string>,
  ): { authorizer?: IHttpRouteAuthorizer; routeEnvironment: Record<string, string> } {
    const jwtRoutes = (claims: { project: string; roles: string }) => ({
      KARBOR_AUTH_MODE: 'jwt',
      KARBOR_JWT_PROJECT_CLAIM: claims.project,
      KARBOR_JWT_ROLES_CLAIM: claims.roles,
    });
    switch (this.config.authMode) {
      case 'cognito':
        return { authorizer: this.cognitoAuthorizer(removalPolicy), routeEnvironment: jwtRoutes(COGNITO_CLAIMS) };
      case 'jwt':
        return {
          authorizer: new HttpJwtAuthorizer('JwtAuthorizer', this.config.jwtIssuer!, {
            jwtAudience: this.config.jwtAudience!,
            identitySource: [TOKEN_HEADER],
          }),
          routeEnvironment: jwtRoutes({ project: this.config.jwtProjectClaim, roles: this.config.jwtRolesClaim }),
        };
      case 'keystone':
        // The routes read the Keystone authorizer's verdict.
        return { authorizer: this.keystoneAuthorizer(repoRoot, environment), routeEnvironment: { KARBOR_AUTH_MODE: 'authorizer' } };
      default:
        Annotations.of(this).addWarningV2(
          'karbor:noauth',
          'THE API IS OPEN: karbor:authMode is noauth, so any "<user>:<project>" token is trusted and the user "admin" is admin. Deploy it to development accounts only.',
        );
        return { routeEnvironment: { KARBOR_AUTH_MODE: 'noauth' } };
    }
  }

  /**
   * Cognito mode: users are created by an administrator (no self sign-up) with
   * their project in `custom:project_id`, which the app client can read but
   * never write, so no user can move themselves into another project; members
   * of the `admin` group are admins. The ID token carries both.
   */
  private cognitoAuthorizer(removalPolicy: RemovalPolicy): HttpUserPoolAuthorizer {
    const pool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      customAttributes: { project_id: new StringAttribute({ minLen: 1, maxLen: 255, mutable: true }) },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: this.config.deletionProtection,
      removalPolicy,
    });
    const client = pool.addClient('CliClient', {
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes('project_id'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    new UserPoolGroup(this, 'AdminGroup', { userPool: pool, groupName: 'admin', description: 'Karbor admins (all_tenants, quotas, services)' });
    this.userPool = pool;
    this.userPoolClient = client;
    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId, description: 'Cognito user pool: create users with custom:project_id' });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId, description: 'App client for `aws cognito-idp initiate-auth`' });
    return new HttpUserPoolAuthorizer('CognitoAuthorizer', pool, { userPoolClients: [client], identitySource: [TOKEN_HEADER] });
  }

  /**
   * Keystone mode's authorizer (functions/auth/keystone-authorizer.ts): it
   * lets every request through with its verdict in the context, so routes
   * answer Karbor's 401/503 faults. Without identity sources and with API
   * Gateway's cache off it runs for every request, even one without a token;
   * the function caches validated tokens itself (karbor:authCacheSeconds).
   */
  private keystoneAuthorizer(repoRoot: string, environment: Record<string, string>): HttpLambdaAuthorizer {
    const f = new ApiFunction(this, 'KeystoneAuthorizerFunction', {
      repoRoot,
      module: AUTHORIZER_MODULE,
      timeout: 10,
      logRetention: this.config.logRetention,
      sourceMaps: this.config.sourceMaps,
      description: 'API authorizer: validates X-Auth-Token with Keystone',
      environment: {
        ...environment,
        KEYSTONE_URL: this.config.keystoneUrl!,
        KARBOR_AUTH_CACHE_SECONDS: String(this.config.authCacheSeconds),
      },
    });
    this.authorizerFunction = f;
    return new HttpLambdaAuthorizer('KeystoneAuthorizer', f, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [],
      resultsCacheTtl: Duration.seconds(0),
    });
  }

  /** The table from the one shared definition (shared/dynamo/table.ts). */
  private singleTable(def: TableDefinition, removalPolicy: RemovalPolicy): Table {
    const table = new Table(this, 'Table', {
      partitionKey: key(def.partitionKey),
      sortKey: key(def.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: this.config.deletionProtection,
      timeToLiveAttribute: def.ttlAttribute,
      removalPolicy,
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

  /**
   * One scheduled rule (default bus) invokes every heartbeat worker each minute
   * with HEARTBEAT_EVENT: its service row then says `up` while it can run,
   * idle included (README "Service health").
   */
  private wireHeartbeat(workerDefs: readonly WorkerDef[]): void {
    const beating = workerDefs.filter((w) => w.heartbeat);
    if (beating.length === 0) return;
    new Rule(this, 'HeartbeatRule', {
      description: 'karbor service heartbeat (os-services)',
      schedule: Schedule.rate(Duration.seconds(SERVICE_HEARTBEAT_SECONDS)),
      targets: beating.map(
        (w) =>
          new LambdaFunction(this.workerTargets.get(w.id)!, {
            event: RuleTargetInput.fromObject(HEARTBEAT_EVENT),
            retryAttempts: 0,
            deadLetterQueue: this.deadLetterQueues.get(w.id),
          }),
      ),
    });
  }

  /**
   * Lets the trigger rules (or Scheduler schedules) invoke the fire-trigger
   * worker and leave what they cannot deliver in its dead-letter queue; the
   * rules made at run time go with the stack (a clean-up on delete), the
   * schedules with their group.
   */
  private wireTriggerSchedules(targets: GrantTargets, repoRoot: string, environment: Record<string, string>): void {
    const fireTrigger = targets.fireTrigger!;
    const dlq = targets.triggerDeadLetters!;
    if (this.config.scheduler === 'rules') {
      // Each trigger's rule (`<stack>-trigger-<id>`, default bus) targets fire-trigger directly.
      const rules = triggerRuleArnPattern(this, this.names);
      fireTrigger.addPermission('TriggerRulesInvoke', {
        principal: new ServicePrincipal('events.amazonaws.com'),
        sourceArn: rules,
        sourceAccount: this.account,
      });
      dlq.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [dlq.queueArn],
          conditions: { ArnLike: { 'aws:SourceArn': rules } },
        }),
      );
      this.triggerRuleCleanup(repoRoot, environment);
      return;
    }
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName: this.names.scheduleGroup, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'SchedulerInvokeRole', {
      description: 'assumed by EventBridge Scheduler to invoke fire-trigger',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fireTrigger.functionArn] }));
    dlq.grantSendMessages(role);
    targets.schedulerRole = role;
  }

  /**
   * Deleting the stack removes the trigger rules the app made at run time
   * (functions/scheduler/cleanup-triggers.ts); the README names the command
   * that does the same by hand.
   */
  private triggerRuleCleanup(repoRoot: string, environment: Record<string, string>): void {
    const cleanup = new ApiFunction(this, 'TriggerCleanupFunction', {
      repoRoot,
      module: 'functions/scheduler/cleanup-triggers',
      timeout: 300,
      memorySize: 256,
      logRetention: this.config.logRetention,
      sourceMaps: this.config.sourceMaps,
      description: `on stack delete: removes the ${this.names.triggerPrefix}* rules`,
      environment: { ...environment, TRIGGER_NAME_PREFIX: this.names.triggerPrefix },
    });
    this.cleanupFunction = cleanup;
    cleanup.addToRolePolicy(new PolicyStatement({ actions: ['events:ListRules'], resources: ['*'] }));
    cleanup.addToRolePolicy(
      new PolicyStatement({
        actions: ['events:RemoveTargets', 'events:DeleteRule'],
        resources: [triggerRuleArnPattern(this, this.names)],
      }),
    );
    const resource = new CustomResource(this, 'TriggerCleanup', {
      serviceToken: cleanup.functionArn,
      resourceType: 'Custom::KarborTriggerCleanup',
      properties: { Prefix: this.names.triggerPrefix },
    });
    // Its role and policy must outlive the delete call.
    resource.node.addDependency(cleanup, cleanup.role!);
  }
}
