import path from 'node:path';
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { checkProviderFiles } from '../shared/features/providers/config';
import { CONFIG_FILES } from '../shared/features/providers/registry';
import { type RouteDef, routes } from '../shared/http/routes';
import { METRICS_NAMESPACE } from '../shared/observability/names';
import { DAILY_REPORTS_WORKER_ID, NOTIFIER_WORKER_ID, type WorkerDef, workers } from '../shared/workers';
import { configFromContext, type KarborConfig } from './config';
import { KarborApi } from './constructs/api';
import type { ApiFunction } from './constructs/api-function';
import { KarborConsole } from './constructs/console';
import { KarborData } from './constructs/data';
import { FunctionFactory } from './constructs/functions';
import { KarborJobs } from './constructs/jobs';
import { Monitoring } from './constructs/monitoring';
import { ComplianceAlarm } from './constructs/compliance';
import type { RouteStack } from './constructs/route-stack';
import { KarborScheduler } from './constructs/scheduler';
import type { GrantTargets } from './grants';
import { constructName, stackNames, type StackNames } from './names';
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

/**
 * Karbor on AWS, from its parts (infra/constructs/): the data (single table,
 * S3 bank, event bus), the jobs (one Lambda per worker wired to its source
 * with a dead-letter queue), the trigger back end, the HTTP API (one Lambda
 * and route per entry of the route table, in a nested stack per feature),
 * the alarms and dashboard that watch them, and the web console.
 * Env-agnostic: synth needs no account. Every name it gives derives from
 * the stack's name.
 */
export class KarborStack extends Stack {
  readonly config: KarborConfig;
  readonly names: StackNames;
  readonly table: Table;
  readonly api: HttpApi;
  readonly bus: EventBus;
  readonly bank: Bucket;
  readonly monitoring: Monitoring;
  /** The LatePlans alarm (docs/decisions.md §20); none without the evaluator. */
  readonly complianceAlarm?: Alarm;
  /** By route id (plus `fallback`). */
  readonly routeFunctions: ReadonlyMap<string, ApiFunction>;
  /** By worker id. */
  readonly workerFunctions: ReadonlyMap<string, ApiFunction>;
  /** By worker id: what its sources invoke (a durable worker's `live` alias, else the function). */
  readonly workerTargets: ReadonlyMap<string, IFunction>;
  /** By worker id: where its failed invocations land. */
  readonly deadLetterQueues: ReadonlyMap<string, Queue>;
  /** By feature: the nested stacks holding the routes. */
  readonly routeStacks: ReadonlyMap<string, RouteStack>;
  /** Keystone mode's API authorizer. */
  readonly authorizerFunction?: ApiFunction;
  /** Cognito mode's user pool and the client users sign in with. */
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  /** Scheduler and migrating modes' group of the triggers' schedules. */
  readonly scheduleGroup?: ScheduleGroup;
  /** Rules and migrating modes: the clean-up run when the stack is deleted. */
  readonly cleanupFunction?: ApiFunction;
  /** Scheduler mode: the guard that refuses to enter it while trigger rules exist. */
  readonly guardFunction?: ApiFunction;
  /** The plain function reporting the durable workers' service rows each minute. */
  readonly heartbeatFunction?: ApiFunction;
  /** The web console (S3 + CloudFront), unless skipped. */
  readonly console?: KarborConsole;

  constructor(scope: Construct, id: string, props: KarborStackProps = {}) {
    super(scope, id, props);
    // A bad provider file fails the synth: the functions bundle the files without a validator.
    checkProviderFiles(CONFIG_FILES);
    const config = { ...configFromContext(this.node), ...props.config };
    const names = stackNames(this.stackName);
    const repoRoot = props.repoRoot ?? findRepoRoot();
    const removalPolicy = config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.config = config;
    this.names = names;

    const data = new KarborData(this, 'Data', { ...config, names, removalPolicy });
    // Powertools (Logger, Metrics, Tracer) read their service and namespace from these.
    const environment = { POWERTOOLS_SERVICE_NAME: names.prefix, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE };
    const functions = new FunctionFactory({ ...config, repoRoot, environment, table: data.table });
    // `karbor:dailyReports` false: no daily reports worker, nor its schedule (docs/decisions.md §22).
    const stackWorkers = (props.workers ?? workers).filter((w) => config.dailyReports || w.id !== DAILY_REPORTS_WORKER_ID);
    const jobs = new KarborJobs(this, 'Jobs', { workers: stackWorkers, functions });
    // Drills run in fire-trigger: its bound on drills at once (docs/decisions.md §24).
    jobs.fireTrigger?.fn.addSetting('KARBOR_DRILL_CONCURRENCY', String(config.drillConcurrency));
    const scheduler = jobs.fireTrigger && new KarborScheduler(this, 'Scheduler', { ...config, names, fireTrigger: jobs.fireTrigger, functions });
    const grantTargets: GrantTargets = {
      bus: data.bus,
      bank: data.bank,
      bankKey: data.bankKey,
      bankObjectLock: config.bankObjectLock !== 'none',
      scheduler: config.scheduler,
      names,
      table: data.table,
      projectTagKey: config.projectTagKey,
      destinations: config.destinations,
      fireTrigger: jobs.fireTrigger?.fn,
      triggerDeadLetters: jobs.fireTrigger?.deadLetters,
      schedulerRole: scheduler?.role,
      firings: scheduler?.firings,
    };
    jobs.wire(grantTargets);
    const http = new KarborApi(this, 'Http', { ...config, removalPolicy, functions, routes: props.routes ?? routes, grantTargets });

    this.table = data.table;
    this.bus = data.bus;
    this.bank = data.bank;
    this.api = http.api;
    this.workerFunctions = jobs.functions;
    this.workerTargets = jobs.targets;
    this.deadLetterQueues = jobs.deadLetterQueues;
    this.routeFunctions = http.functions;
    this.routeStacks = http.routeStacks;
    ({ authorizerFunction: this.authorizerFunction, userPool: this.userPool, userPoolClient: this.userPoolClient } = http.auth);
    ({ scheduleGroup: this.scheduleGroup, cleanupFunction: this.cleanupFunction, guardFunction: this.guardFunction } = scheduler ?? {});
    this.heartbeatFunction = jobs.heartbeatFunction;

    this.monitoring = new Monitoring(this, 'Monitoring', {
      service: names.prefix,
      api: this.api,
      functions: [
        ...this.workerFunctions.values(),
        ...this.routeFunctions.values(),
        ...[this.authorizerFunction, this.cleanupFunction, this.guardFunction, this.heartbeatFunction].filter((f): f is ApiFunction => f !== undefined),
      ],
      deadLetterQueues: new Map([...this.deadLetterQueues].map(([wid, q]) => [constructName(wid), q])),
      busRules: jobs.busRules,
      scheduleGroup: this.scheduleGroup,
      emails: config.alarmEmails,
    });
    // The notifier tells the alarm topic's subscribers of failures (docs/operations.md "Notifications").
    const notifier = this.workerFunctions.get(NOTIFIER_WORKER_ID);
    if (notifier) {
      this.monitoring.topic.grantPublish(notifier);
      notifier.addSetting('NOTIFY_TOPIC_ARN', this.monitoring.topic.topicArn);
    }
    // Only when the evaluator is part of the stack (tests may build one with fewer workers).
    if (this.workerFunctions.has('compliance.evaluate')) {
      this.complianceAlarm = new ComplianceAlarm(this, 'Compliance', { service: names.prefix, topic: this.monitoring.topic }).alarm;
    }

    if (props.consoleDir !== null) {
      this.console = new KarborConsole(this, 'Console', {
        api: this.api,
        preflight: http.fallback,
        distDir: props.consoleDir ?? path.join(repoRoot, 'console', 'dist'),
        settings: {
          authMode: config.authMode,
          // Cognito mode: the console signs users in with Cognito's InitiateAuth (username and password).
          ...(this.userPoolClient ? { cognitoRegion: this.region, cognitoClientId: this.userPoolClient.userPoolClientId } : {}),
        },
        corsOrigins: config.corsOrigins,
        logRetention: config.logRetention,
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
}
