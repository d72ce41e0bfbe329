import type { Tracer } from '@aws-lambda-powertools/tracer';
import * as config from '../config';

let tracer: Tracer | undefined;

/**
 * Every AWS SDK client the app makes goes through here: on Lambda (active
 * tracing, set by infra/constructs/api-function.ts) each of its calls becomes
 * an X-Ray subsegment named after the service, under the invocation's trace.
 * Anywhere else (npm start, tests) the client is returned untouched and the
 * tracer is never loaded; on Lambda, POWERTOOLS_TRACE_ENABLED=false turns it
 * off too (Powertools' own switch).
 */
export const traced = <T extends object>(client: T): T => {
  if (!config.lambdaFunctionName()) return client;
  // Loaded on first use: it pulls in aws-xray-sdk-core, which nothing off Lambda needs to initialise.
  tracer ??= new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer();
  return tracer.captureAWSv3Client(client);
};
