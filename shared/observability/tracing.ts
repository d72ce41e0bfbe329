import type { Tracer } from '@aws-lambda-powertools/tracer';
import * as config from '../config';

let tracer: Tracer | undefined;

/** Replaced by a literal when infra/bundling.ts builds a Lambda bundle; undeclared (typeof 'undefined') anywhere else. */
declare const KARBOR_TRACE_AWS_CALLS: boolean | undefined;

/**
 * Every AWS SDK client the app makes goes through here. Lambda's active
 * tracing (infra/constructs/api-function.ts) always records each invocation
 * and its init; a deployment with `karbor:traceAwsCalls` also gets an X-Ray
 * subsegment per SDK call, named after the service. That switch is a
 * build-time constant (infra/bundling.ts `define`): without it the branch is
 * dead code and esbuild leaves the Tracer and aws-xray-sdk-core (about 100 KB
 * every cold start would read) out of the bundle (docs/decisions.md §30).
 * Off Lambda (npm start, tests) the client is returned untouched; on Lambda,
 * POWERTOOLS_TRACE_ENABLED=false turns it off too (Powertools' own switch).
 */
export const traced = <T extends object>(client: T): T => {
  if (typeof KARBOR_TRACE_AWS_CALLS === 'boolean' && KARBOR_TRACE_AWS_CALLS && config.lambdaFunctionName()) {
    tracer ??= new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer();
    return tracer.captureAWSv3Client(client);
  }
  return client;
};
