import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { RouteDef } from '../../shared/http/routes';
import type { WorkerDef } from '../../shared/workers';
import { constructName } from '../names';
import { ApiFunction, type ApiFunctionProps, type FunctionEnvironment } from './api-function';

export interface FunctionDefaults {
  repoRoot: string;
  logRetention: RetentionDays;
  sourceMaps: boolean;
  traceAwsCalls: boolean;
  /** A durable worker's reserved concurrency (`karbor:workerConcurrency`); unset, none. */
  workerConcurrency?: number;
  /** What every function is told (Powertools' service and namespace). */
  environment: FunctionEnvironment;
  table: ITable;
}

/** The one place the stack's functions get their shared settings. */
export class FunctionFactory {
  constructor(private readonly defaults: FunctionDefaults) {}

  /** A route's or worker's function, named from its id, with its table access. */
  forDef(scope: Construct, def: RouteDef | WorkerDef, opts: { timeout: number; description: string; deadLetterQueue?: IQueue }): ApiFunction {
    const durable = 'durable' in def ? def.durable : undefined;
    return this.own(scope, `${constructName(def.id)}Function`, {
      module: def.module,
      timeout: def.timeout ?? opts.timeout,
      memorySize: def.memory,
      description: opts.description,
      deadLetterQueue: opts.deadLetterQueue,
      ...(durable ? { durableHours: durable.executionHours, reservedConcurrentExecutions: this.defaults.workerConcurrency } : {}),
    }).bindTable({ table: this.defaults.table, access: def.access });
  }

  /** A function of the stack's own (authorizer, clean-up): the shared settings, its environment added to the common one. */
  own(scope: Construct, id: string, props: Omit<ApiFunctionProps, 'repoRoot' | 'logRetention' | 'sourceMaps' | 'traceAwsCalls'>): ApiFunction {
    const { repoRoot, logRetention, sourceMaps, traceAwsCalls, environment } = this.defaults;
    return new ApiFunction(scope, id, { repoRoot, logRetention, sourceMaps, traceAwsCalls, ...props, environment: { ...environment, ...props.environment } });
  }
}
