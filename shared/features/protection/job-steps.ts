/**
 * The job engine port (README "The job engine"): a job is a sequence of
 * named, checkpointed steps and waits. A step's result is recorded once it
 * returns; a replay of the job (a durable re-invocation on AWS, a restarted
 * `npm start` locally) gets the recorded result back instead of running the
 * step again, so a finished CreateSnapshot is never repeated. Code between
 * steps runs again on every replay: it must only read, or write idempotently.
 * Adapters: ./adapters/durable-steps.ts (Lambda durable functions) and
 * `localSteps` below (results kept on the job's item in DynamoDB).
 */
export interface JobSteps {
  /** Runs `fn` once per job; its result must be JSON. Throttling errors are retried with backoff inside the step. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Waits `seconds`; on AWS the invocation ends meanwhile and costs nothing. */
  wait(name: string, seconds: number): Promise<void>;
  /**
   * Runs `fn` with its own step names (one resource of the graph), so
   * resources running in parallel replay the same way whatever order they
   * finished in. Its result is recorded like a step's.
   */
  child<T>(name: string, fn: (steps: JobSteps) => Promise<T>): Promise<T>;
}

/** The engine of one invocation: the steps of a claimed job, and the claim itself. */
export interface JobEngine {
  /**
   * A step of this attempt (the claim of the job's lease): the durable engine
   * records it, as its replays are the same attempt; a new local process is a
   * new attempt and runs it again.
   */
  attempt<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** The job's steps; `recorded` and `save` are the job item's (local engine), the durable engine keeps its own. */
  steps(job: { jobSteps?: Record<string, unknown> }, save: (name: string, value: unknown) => Promise<void>): JobSteps;
}

/** Errors AWS services answer when a caller goes too fast: retried, never a failed resource. */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'LimitExceededException',
]);

export const isThrottling = (error: unknown): boolean => {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e?.name ?? '') || THROTTLING.has(e?.Code ?? '') || e?.$metadata?.httpStatusCode === 429;
};

export const THROTTLE_RETRIES = 8;

/**
 * The one retry policy of steps (both engines): a throttling error is retried
 * up to THROTTLE_RETRIES times after an exponential delay (1 s doubling to
 * 60 s) with full jitter; anything else fails the step at once (the plugin
 * call's own error is the resource's reason). `attempt` counts from 1.
 */
export const throttleRetryDelay = (error: unknown, attempt: number, random: () => number = Math.random): number | undefined => {
  if (!isThrottling(error) || attempt > THROTTLE_RETRIES) return undefined;
  const cap = Math.min(60, 2 ** (attempt - 1));
  return Math.max(1, Math.ceil(random() * cap));
};

/** Runs `fn`, retrying throttling errors by the policy above (the local engine; the durable one uses its retry strategy). */
export const withThrottleRetry = async <T>(fn: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      const delay = throttleRetryDelay(error, attempt);
      if (delay === undefined) throw error;
      await sleep(delay * 1000);
    }
  }
};

/**
 * The local engine (`npm start`, tests): a step's result goes onto the job's
 * item (`save`) before the job goes on, and a restarted process finds it in
 * `recorded`; waits are the worker's timers.
 */
export const localSteps = (opts: {
  recorded: Record<string, unknown>;
  save: (name: string, value: unknown) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  prefix?: string;
}): JobSteps => {
  const prefix = opts.prefix ?? '';
  const once = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const key = `${prefix}${name}`;
    if (key in opts.recorded) return opts.recorded[key] as T;
    const value = await fn();
    // DynamoDB keeps no undefined: null stands for it.
    await opts.save(key, value ?? null);
    opts.recorded[key] = value;
    return value;
  };
  return {
    step: (name, fn) => once(name, () => withThrottleRetry(fn, opts.sleep)),
    wait: (_name, seconds) => opts.sleep(seconds * 1000),
    child: (name, fn) => once(name, () => fn(localSteps({ ...opts, prefix: `${prefix}${name}/` }))),
  };
};

export const localEngine = (sleep: (ms: number) => Promise<void>): JobEngine => ({
  attempt: (_name, fn) => fn(),
  steps: (job, save) => localSteps({ recorded: { ...(job.jobSteps ?? {}) }, save, sleep }),
});

/** How a poll backs off: the first wait, growing by half each time up to `maxSeconds`, until `limitSeconds` have passed. */
export interface PollPolicy {
  firstSeconds: number;
  maxSeconds: number;
  limitSeconds: number;
}

/** 30 s growing to 5 min: a snapshot of hours costs a few dozen polls. */
export const DEFAULT_POLL: Omit<PollPolicy, 'limitSeconds'> = { firstSeconds: 30, maxSeconds: 300 };

/**
 * Polls `check` (each one a step) with waits between (each one a durable
 * wait: no compute while waiting) until it returns a value; throws once the
 * waits add up to `limitSeconds`. A replay skips the polls already made.
 */
export const pollUntil = async <T>(
  steps: JobSteps,
  name: string,
  policy: PollPolicy,
  check: () => Promise<{ done: true; value: T } | { done: false; state?: string }>,
): Promise<T> => {
  let waited = 0;
  let delay = policy.firstSeconds;
  for (let n = 0; ; n += 1) {
    const result = await steps.step(`${name}:poll-${n}`, check);
    if (result.done) return result.value;
    if (waited >= policy.limitSeconds) throw new Error(`${name} still ${result.state ?? 'pending'} after ${policy.limitSeconds}s`);
    const next = Math.min(delay, policy.limitSeconds - waited);
    await steps.wait(`${name}:wait-${n}`, next);
    waited += next;
    delay = Math.min(policy.maxSeconds, Math.ceil(delay * 1.5));
  }
};

/** Steps whose functions run under `limit` (the resource's AWS service's semaphore); waits and children pass through. */
export const limitedSteps = (steps: JobSteps, limit: <T>(fn: () => Promise<T>) => Promise<T>): JobSteps => ({
  step: (name, fn) => steps.step(name, () => limit(fn)),
  wait: (name, seconds) => steps.wait(name, seconds),
  child: (name, fn) => steps.child(name, (inner) => fn(limitedSteps(inner, limit))),
});
