import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, ClientAttributes, Mfa, StringAttribute, UserPool, type UserPoolClient, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { AUTHORIZER_MODULE } from '../shared/auth/authorizer-context';
import { COGNITO_CLAIMS } from '../shared/auth/jwt-claims';
import { fallbackRoute, routes, type RouteDef } from '../shared/http/routes';
import { TABLE, type KeyAttribute, type TableDefinition } from '../shared/dynamo/table';
import { workers, type WorkerDef } from '../shared/workers';
import { HEARTBEAT_EVENT, SERVICE_HEARTBEAT_SECONDS } from '../shared/features/services/model';
import { configFromContext, type KarborConfig } from './config';
import { ApiFunction } from './constructs/api-function';
import { checkProviderFiles } from '../shared/features/providers/config';
import { CONFIG_FILES } from '../shared/features/providers/registry';
import { applyGrants, SCHEDULE_GROUP_NAME, triggerRuleArnPattern, type GrantTargets } from './grants';
import { findRepoRoot } from './repo-root';

export interface KarborStackProps extends StackProps {
  /** Overrides the `karbor:*` context values. */
  config?: Partial<KarborConfig>;
  /** Defaults to the folder holding cdk.json. */
  repoRoot?: string;
  /** Overrides shared/http/routes.ts and shared/workers.ts (tests only). */
  routes?: readonly RouteDef[];
  workers?: readonly WorkerDef[];
}

/** The name of the events bus for checkpoint/restore work and lifecycle events. */
export const EVENT_BUS_NAME = 'karbor';
/** Every event the app puts on the bus has this `source`. */
export const EVENT_SOURCE = 'karbor';

/** Where API Gateway's JWT authorizer finds the token: Karbor's header, so `OS_AUTH_TOKEN=<jwt>` works with the karbor CLI. */
const TOKEN_HEADER = '$request.header.X-Auth-Token';

const DEFAULT_ROUTE_TIMEOUT = 10;
const DEFAULT_WORKER_TIMEOUT = 60;

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
 * entry of the route table, one Lambda per worker wired to its source, the
 * `karbor` event bus and the S3 bank. Env-agnostic: synth needs no account.
 */
export class KarborStack extends Stack {
  readonly config: KarborConfig;
  readonly table: Table;
  readonly api: HttpApi;
  readonly bus: EventBus;
  readonly bank: Bucket;
  /** By route id (plus `fallback`). */
  readonly routeFunctions = new Map<string, ApiFunction>();
  /** By worker id. */
  readonly workerFunctions = new Map<string, ApiFunction>();
  /** Keystone mode's API authorizer. */
  authorizerFunction?: ApiFunction;
  /** Cognito mode's user pool and the client users sign in with. */
  userPool?: UserPool;
  userPoolClient?: UserPoolClient;

  constructor(scope: Construct, id: string, props: KarborStackProps = {}) {
    super(scope, id, props);
    // A bad provider file fails the synth: the functions bundle the files without a validator.
    checkProviderFiles(CONFIG_FILES);
    this.config = { ...configFromContext(this.node), ...props.config };
    const repoRoot = props.repoRoot ?? findRepoRoot();
    const routeDefs = props.routes ?? routes;
    const workerDefs = props.workers ?? workers;
    const retain = this.config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = this.singleTable(TABLE, retain);

    this.bus = new EventBus(this, 'Bus', { eventBusName: EVENT_BUS_NAME });
    // Without deletion protection the bucket is destroyed with the stack, which
    // CloudFormation can do only once it is empty (no auto-delete custom resource).
    this.bank = new Bucket(this, 'Bank', {
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: retain,
    });

    const fn = (name: string, def: RouteDef | WorkerDef, timeout: number, description: string): ApiFunction =>
      new ApiFunction(this, `${constructName(name)}Function`, {
        repoRoot,
        module: def.module,
        timeout: def.timeout ?? timeout,
        logRetention: this.config.logRetention,
        description,
      }).bindTable({ table: this.table, access: def.access });

    // Workers first: functions with the trigger-schedules grant need fire-trigger's ARN.
    const targets: GrantTargets = { bus: this.bus, bank: this.bank, scheduler: this.config.scheduler };
    for (const worker of workerDefs) {
      const f = fn(worker.id, worker, DEFAULT_WORKER_TIMEOUT, `worker ${worker.id}`);
      this.workerFunctions.set(worker.id, f);
      if (worker.source.kind === 'trigger-schedules') {
        if (targets.fireTrigger) throw new Error(`two workers have the trigger-schedules source: ${worker.id} and another`);
        targets.fireTrigger = f;
      }
    }
    if (targets.fireTrigger) this.wireTriggerSchedules(targets);
    for (const worker of workerDefs) {
      const f = this.workerFunctions.get(worker.id)!;
      applyGrants(f, worker.grants ?? [], targets);
      if (worker.source.kind === 'bus') {
        new Rule(this, `${constructName(worker.id)}Rule`, {
          eventBus: this.bus,
          description: `karbor events for worker ${worker.id}`,
          eventPattern: { source: [EVENT_SOURCE], detailType: [...worker.source.detailTypes] },
          targets: [new LambdaFunction(f, { retryAttempts: 2 })],
        });
      }
    }
    this.wireHeartbeat(workerDefs);

    const fallback = fn(fallbackRoute.id, fallbackRoute, DEFAULT_ROUTE_TIMEOUT, 'unmatched requests: 404 / 405 fault');
    this.routeFunctions.set(fallbackRoute.id, fallback);
    const { authorizer, routeEnvironment } = this.apiAuth(repoRoot, retain);
    this.api = new HttpApi(this, 'Api', {
      description: 'Karbor v1 API',
      // API Gateway's `$default` route: every request no route matches.
      defaultIntegration: new HttpLambdaIntegration('FallbackIntegration', fallback),
      // Every route, `$default` included, asks the authorizer first...
      ...(authorizer ? { defaultAuthorizer: authorizer } : {}),
    });
    for (const route of routeDefs) {
      const f = fn(route.id, route, DEFAULT_ROUTE_TIMEOUT, `${route.method} ${route.path}`);
      this.routeFunctions.set(route.id, f);
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${constructName(route.id)}Integration`, f),
        // ...but the version documents, which Karbor serves without a token.
        ...(authorizer && route.public ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
    }
    for (const [routeId, f] of this.routeFunctions) {
      const def = routeId === fallbackRoute.id ? fallbackRoute : routeDefs.find((r) => r.id === routeId)!;
      applyGrants(f, def.grants ?? [], targets);
      for (const [k, v] of Object.entries(routeEnvironment)) f.addEnvironment(k, v);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Karbor API base: KARBOR_URL is <ApiUrl>/v1/<project>' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'BankBucketName', { value: this.bank.bucketName });
  }

  /**
   * The API's authentication (`karbor:authMode`) and what the routes must be
   * told to read it. Never open unless asked for by name: the default is a
   * Cognito user pool behind API Gateway's native JWT authorizer.
   */
  private apiAuth(repoRoot: string, removalPolicy: RemovalPolicy): { authorizer?: IHttpRouteAuthorizer; routeEnvironment: Record<string, string> } {
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
        return { authorizer: this.keystoneAuthorizer(repoRoot), routeEnvironment: { KARBOR_AUTH_MODE: 'authorizer' } };
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
  private keystoneAuthorizer(repoRoot: string): HttpLambdaAuthorizer {
    const f = new ApiFunction(this, 'KeystoneAuthorizerFunction', {
      repoRoot,
      module: AUTHORIZER_MODULE,
      timeout: 10,
      logRetention: this.config.logRetention,
      description: 'API authorizer: validates X-Auth-Token with Keystone',
      environment: {
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
        (w) => new LambdaFunction(this.workerFunctions.get(w.id)!, { event: RuleTargetInput.fromObject(HEARTBEAT_EVENT), retryAttempts: 0 }),
      ),
    });
  }

  /** Lets the trigger rules (or Scheduler schedules) invoke the fire-trigger worker. */
  private wireTriggerSchedules(targets: GrantTargets): void {
    const fireTrigger = targets.fireTrigger!;
    if (this.config.scheduler === 'rules') {
      // Each trigger's rule (`karbor-trigger-<id>`, default bus) targets fire-trigger directly.
      fireTrigger.addPermission('TriggerRulesInvoke', {
        principal: new ServicePrincipal('events.amazonaws.com'),
        sourceArn: triggerRuleArnPattern(this),
        sourceAccount: this.account,
      });
      return;
    }
    new ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName: SCHEDULE_GROUP_NAME, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'SchedulerInvokeRole', {
      description: 'assumed by EventBridge Scheduler to invoke fire-trigger',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fireTrigger.functionArn] }));
    targets.schedulerRole = role;
  }
}
