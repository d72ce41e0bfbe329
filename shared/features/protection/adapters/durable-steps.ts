import type { DurableContext } from '@aws/durable-execution-sdk-js';
import { type JobEngine, type JobSteps, throttleRetryDelay } from '../job-steps';

/**
 * The job engine on AWS: Lambda durable functions. Each step is a
 * `context.step`, checkpointed by the durable execution service; a wait is a
 * `context.wait`, during which no invocation runs; after a wait (or a crash)
 * Lambda invokes the function again and the SDK replays it, returning the
 * recorded result of every finished step instead of running it.
 * https://docs.aws.amazon.com/lambda/latest/dg/durable-functions.html
 */
type Context = Pick<DurableContext, 'step' | 'wait' | 'runInChildContext'>;

/** Throttling retried with backoff and jitter inside the step (job-steps.ts throttleRetryDelay); any other error fails it at once. */
const retryStrategy = (error: Error, attempt: number) => {
  // The SDK hands the step's error back; its name and code are the AWS SDK's.
  const delay = throttleRetryDelay(error, attempt);
  return delay === undefined ? { shouldRetry: false } : { shouldRetry: true, delay: { seconds: delay } };
};

export const durableSteps = (context: Context): JobSteps => ({
  step: (name, fn) => context.step(name, async () => fn(), { retryStrategy }),
  wait: (name, seconds) => context.wait(name, { seconds: Math.max(1, Math.ceil(seconds)) }),
  child: (name, fn) => context.runInChildContext(name, async (inner) => fn(durableSteps(inner))),
});

export const durableEngine = (context: Context): JobEngine => {
  const steps = durableSteps(context);
  return { attempt: (name, fn) => steps.step(name, fn), steps: () => steps };
};
