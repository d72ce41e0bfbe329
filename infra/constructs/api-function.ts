import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { SettingName } from '../../shared/config';
import { type BundleOptions, bundleLambda } from '../bundling';

/** Variables the libraries read themselves (Powertools, Node), beside the app's settings. */
export const LIBRARY_VARIABLES = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'NODE_OPTIONS'] as const;

/**
 * A function's environment: settings by the names shared/config.ts reads
 * (SETTING_NAMES, so a renamed setting fails `tsc` here), and the libraries'.
 */
export type FunctionEnvironment = Partial<Record<SettingName | (typeof LIBRARY_VARIABLES)[number], string>>;

export interface ApiFunctionProps {
  /** Repository root: where handler modules and node_modules are (esbuild's working directory). */
  repoRoot: string;
  /** Handler module relative to the repo root, without extension (a route's or worker's `module`). */
  module: string;
  /** Seconds. */
  timeout: number;
  logRetention: RetentionDays;
  /** What happens to the log group when the stack goes. */
  logRemovalPolicy?: RemovalPolicy;
  description?: string;
  environment?: FunctionEnvironment;
  /** MB; default 512. */
  memorySize?: number;
  /** `karbor:sourceMaps`: `.map` files in the asset and `--enable-source-maps` at run time; else neither. */
  sourceMaps?: boolean;
  /** `karbor:traceAwsCalls`: the Powertools Tracer in the bundle, a subsegment per AWS SDK call. */
  traceAwsCalls?: boolean;
  /** Asynchronously invoked functions: where an event lands once Lambda's retries are spent. */
  deadLetterQueue?: IQueue;
  /** A durable function (shared/workers.ts `durable`): its execution timeout; its history is kept 14 days. */
  durableHours?: number;
  reservedConcurrentExecutions?: number;
}

/** MB a function gets when its route or worker says nothing (npm run bench prices with it too). */
export const DEFAULT_MEMORY_MB = 512;

export type TableAccess = 'none' | 'read' | 'write';

/**
 * A handler module bundled in this process with the one shared esbuild
 * config (R11, infra/bundling.ts): ESM with code splitting, which
 * NodejsFunction cannot build (it passes esbuild an outfile). No Docker.
 */
const handlerCode = (repoRoot: string, module: string, options: BundleOptions): Code =>
  Code.fromAsset(repoRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never run (the local bundler succeeds or throws), but CDK keys its asset cache on these options,
      // where the local bundler, a function, does not show: the module (and the options) in the command keep the functions' assets apart.
      image: DockerImage.fromRegistry('unused-local-bundling'),
      command: ['bundle', module, ...(options.sourceMaps ? ['--sourcemap'] : []), ...(options.traceAwsCalls ? ['--trace-aws-calls'] : [])],
      local: {
        tryBundle(outputDir) {
          bundleLambda(repoRoot, module, outputDir, options);
          return true;
        },
      },
    },
  });

/**
 * Every Lambda of the app (API routes and workers): Node.js 24 on arm64,
 * the one shared esbuild config (R11), X-Ray tracing, an explicit log group
 * with retention (no LogRetention custom resource) and JSON logs. Its role
 * may write to that one log group, not to any (the managed
 * AWSLambdaBasicExecutionRole would allow every log group of the account).
 */
export class ApiFunction extends LambdaFunction {
  readonly logGroupOfFunction: LogGroup;
  /** The handler module it was built from (repo-relative, no extension). */
  readonly module: string;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}ServiceRole`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      code: handlerCode(props.repoRoot, props.module, { sourceMaps: props.sourceMaps, traceAwsCalls: props.traceAwsCalls }),
      // index.mjs (infra/bundling.ts)
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(props.timeout),
      tracing: Tracing.ACTIVE,
      logGroup,
      // Lambda's JSON format: even a plain console line gets a timestamp, a level and the invocation's id.
      loggingFormat: LoggingFormat.JSON,
      description: props.description,
      environment: { ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}), ...(props.environment as Record<string, string>) },
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue, retryAttempts: 2 } : {}),
      ...(props.durableHours === undefined
        ? {}
        : {
            durableConfig: { executionTimeout: Duration.hours(props.durableHours), retentionPeriod: Duration.days(14) },
            // A durable execution replays on the version it started on: a deploy must not delete that version
            // while a job may still wait on it (up to the execution timeout), so old versions are kept.
            currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
          }),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    });
    this.logGroupOfFunction = logGroup;
    this.module = props.module;
    if (props.durableHours !== undefined) {
      // What AWSLambdaBasicDurableExecutionRolePolicy grants, on this function's executions only (every version: `:*`).
      // Its own policy: the function's ARN in the default policy, on which the function waits, would be a cycle;
      // the version (and so the alias the rules invoke) waits for it instead.
      const state = new Policy(scope, `${id}DurableState`, {
        roles: [role],
        statements: [
          new PolicyStatement({ actions: ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState'], resources: [`${this.functionArn}:*`] }),
        ],
      });
      this.currentVersion.node.addDependency(state);
    }
  }

  /** A setting in the function's environment, by the name shared/config.ts reads it under. */
  addSetting(name: SettingName, value: string): this {
    return this.addEnvironment(name, value);
  }

  /** Table access by the definition's `access`: read -> read grants only, write -> read/write, none -> nothing. */
  bindTable({ table, access }: { table: ITable; access: TableAccess }): this {
    if (access === 'none') return this;
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.addSetting('TABLE_NAME', table.tableName);
    return this;
  }
}
