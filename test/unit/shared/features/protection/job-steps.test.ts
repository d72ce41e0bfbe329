import {
  isThrottling,
  localSteps,
  pollUntil,
  THROTTLE_RETRIES,
  throttleRetryDelay,
  withThrottleRetry,
} from '../../../../../shared/features/protection/job-steps';
import { semaphore } from '../../../../../shared/kernel/concurrency';

const throttled = (name: string) => Object.assign(new Error('slow down'), { name });

/** Local steps over a map, recording what was saved and how long each sleep was (they take no time). */
const steps = (recorded: Record<string, unknown> = {}) => {
  const saved: [string, unknown][] = [];
  const sleeps: number[] = [];
  const s = localSteps({ recorded, save: async (name, value) => void saved.push([name, value]), sleep: async (ms) => void sleeps.push(ms) });
  return { s, saved, sleeps, recorded };
};

describe('local steps', () => {
  it('records each result under its name (a child under its own prefix) and replays it without running the step again', async () => {
    // Prepare
    const first = steps();
    let runs = 0;
    const job = async (s: typeof first.s) => {
      const id = await s.step('create', async () => {
        runs += 1;
        return 'snap-1';
      });
      const child = await s.child('vol-1', (inner) => inner.step('record', async () => undefined));
      return { id, child };
    };
    // Act
    const before = await job(first.s);
    const after = await job(steps({ ...first.recorded }).s);
    // Assess
    expect(before).toEqual({ id: 'snap-1', child: undefined });
    expect(after.id).toBe('snap-1');
    expect(runs).toBe(1);
    expect(first.saved).toEqual([
      ['create', 'snap-1'],
      ['vol-1/record', null],
      ['vol-1', null],
    ]);
  });

  it('retries a throttled step after a growing, jittered delay and fails at once on any other error', async () => {
    // Prepare
    const { s, sleeps } = steps();
    let calls = 0;
    // Act
    const value = await s.step('create', async () => {
      calls += 1;
      if (calls < 4) throw throttled('ThrottlingException');
      return calls;
    });
    const failed = s.step('other', async () => {
      throw new Error('InvalidVolume.NotFound');
    });
    // Assess
    expect(value).toBe(4);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(1000);
      expect(ms).toBeLessThanOrEqual(2 ** i * 1000);
    });
    await expect(failed).rejects.toThrow('InvalidVolume.NotFound');
  });
});

describe('the throttling policy', () => {
  it.each(['ThrottlingException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException', 'TooManyRequestsException', 'SlowDown'])(
    'retries %s',
    (name) => {
      expect(isThrottling(throttled(name))).toBe(true);
      expect(throttleRetryDelay(throttled(name), 1)).toBe(1);
    },
  );

  it('retries an HTTP 429, never another error, and stops after its retries', () => {
    expect(isThrottling({ name: 'Unknown', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(throttleRetryDelay(new Error('AccessDenied'), 1)).toBeUndefined();
    expect(throttleRetryDelay(throttled('ThrottlingException'), THROTTLE_RETRIES)).toBeGreaterThanOrEqual(1);
    expect(throttleRetryDelay(throttled('ThrottlingException'), THROTTLE_RETRIES + 1)).toBeUndefined();
  });

  it('grows the delay exponentially up to a minute, with full jitter', () => {
    const top = () => 0.999;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => throttleRetryDelay(throttled('ThrottlingException'), a, top))).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    expect(throttleRetryDelay(throttled('ThrottlingException'), 8, () => 0)).toBe(1);
  });

  it('gives up with the throttling error once its retries are spent', async () => {
    const sleeps: number[] = [];
    const always = withThrottleRetry(
      async () => {
        throw throttled('RequestLimitExceeded');
      },
      async (ms) => void sleeps.push(ms),
    );
    await expect(always).rejects.toThrow('slow down');
    expect(sleeps).toHaveLength(THROTTLE_RETRIES);
  });
});

describe('pollUntil', () => {
  it('waits 30 s growing by half to 5 min between polls, and a replay skips the polls already made', async () => {
    // Prepare
    const first = steps();
    let polls = 0;
    const check = async () => {
      polls += 1;
      return polls >= 8 ? { done: true as const, value: 'ok' } : { done: false as const, state: 'pending' };
    };
    const policy = { firstSeconds: 30, maxSeconds: 300, limitSeconds: 3600 };
    // Act
    const value = await pollUntil(first.s, 'snap', policy, check);
    const replayed = await pollUntil(steps({ ...first.recorded }).s, 'snap', policy, check);
    // Assess
    expect(value).toBe('ok');
    expect(replayed).toBe('ok');
    expect(polls).toBe(8);
    expect(first.sleeps.map((ms) => ms / 1000)).toEqual([30, 45, 68, 102, 153, 230, 300]);
  });

  it('fails with the last state once the waits add up to its limit', async () => {
    const { s, sleeps } = steps();
    const never = pollUntil(s, 'snap', { firstSeconds: 30, maxSeconds: 300, limitSeconds: 100 }, async () => ({ done: false, state: 'pending 40%' }));
    await expect(never).rejects.toThrow('snap still pending 40% after 100s');
    expect(sleeps.map((ms) => ms / 1000)).toEqual([30, 45, 25]);
  });
});

describe('semaphore', () => {
  it('runs at most its limit at once and every call in the end', async () => {
    // Prepare
    const limit = semaphore(2);
    let running = 0;
    let most = 0;
    const call = (n: number) =>
      limit(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return n;
      });
    // Act
    const results = await Promise.all([1, 2, 3, 4, 5].map(call));
    // Assess
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('frees its slot when a call fails', async () => {
    const limit = semaphore(1);
    await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});
