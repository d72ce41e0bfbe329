import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LAMBDA_BUNDLING } from '../bundling';

export interface ApiFunctionProps {
  /** Repository root: entries, package-lock.json and the esbuild project root. */
  repoRoot: string;
  /** Handler module relative to the repo root, without extension (a route's or worker's `module`). */
  module: string;
  /** Seconds. */
  timeout: number;
  logRetention: RetentionDays;
  /** What happens to the log group when the stack goes. */
  logRemovalPolicy?: RemovalPolicy;
  description?: string;
  environment?: Record<string, string>;
  /** MB; default 512. */
  memorySize?: number;
  /** `--enable-source-maps` at run time (`karbor:sourceMaps`): the maps are always in the asset, for reading a stack trace by hand. */
  sourceMaps?: boolean;
  /** Asynchronously invoked functions: where an event lands once Lambda's retries are spent. */
  deadLetterQueue?: IQueue;
}

/** MB a function gets when its route or worker says nothing (npm run bench prices with it too). */
export const DEFAULT_MEMORY_MB = 512;

export type TableAccess = 'none' | 'read' | 'write';

/**
 * Every Lambda of the app (API routes and workers): Node.js 22 on arm64,
 * the one shared esbuild config (R11), X-Ray tracing, an explicit log group
 * with retention (no LogRetention custom resource) and JSON logs.
 */
export class ApiFunction extends NodejsFunction {
  readonly logGroupOfFunction: LogGroup;
  /** The handler module it was built from (repo-relative, no extension). */
  readonly module: string;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: path.join(props.repoRoot, `${props.module}.ts`),
      handler: 'handler',
      projectRoot: props.repoRoot,
      depsLockFilePath: path.join(props.repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(props.timeout),
      tracing: Tracing.ACTIVE,
      logGroup,
      // Lambda's JSON format: even a plain console line gets a timestamp, a level and the invocation's id.
      loggingFormat: LoggingFormat.JSON,
      description: props.description,
      environment: { ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}), ...props.environment },
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue, retryAttempts: 2 } : {}),
      bundling: {
        // The one esbuild configuration, shared with `npm run bench` (infra/bundling.ts).
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: LAMBDA_BUNDLING.sourceMap,
        keepNames: LAMBDA_BUNDLING.keepNames,
        target: LAMBDA_BUNDLING.target,
        format: OutputFormat.CJS,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        externalModules: [...LAMBDA_BUNDLING.externalModules],
        // Sizes are recorded by `npm run bench`; synth prints only problems.
        logLevel: LogLevel.ERROR,
      },
    });
    this.logGroupOfFunction = logGroup;
    this.module = props.module;
  }

  /** Table access by the definition's `access`: read -> read grants only, write -> read/write, none -> nothing. */
  bindTable({ table, access }: { table: ITable; access: TableAccess }): this {
    if (access === 'none') return this;
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }
}
