import { FAST_MS, MAX_BACKOFF_MS, nextPollDelay, SLOW_MS } from '../../../console/src/poll';

describe("the console's polling (console/src/poll.ts)", () => {
  it('polls every 2 s while a job runs and every 10 s otherwise, on a quick API', () => {
    expect(nextPollDelay({ running: true, failures: 0, elapsedMs: 50 })).toBe(FAST_MS);
    expect(nextPollDelay({ running: false, failures: 0, elapsedMs: 50 })).toBe(SLOW_MS);
  });

  it('asks a slow API less often: at least five times the last load, at most 5 minutes', () => {
    expect(nextPollDelay({ running: true, failures: 0, elapsedMs: 3000 })).toBe(15_000);
    expect(nextPollDelay({ running: false, failures: 0, elapsedMs: 10 * 60_000 })).toBe(MAX_BACKOFF_MS);
  });

  it('backs off while the API fails, doubling from 10 s to at most 5 minutes, and the first success resets it', () => {
    const waits = [1, 2, 3, 4, 5, 6, 10].map((failures) => nextPollDelay({ running: true, failures, elapsedMs: 5 }));
    expect(waits).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
    expect(nextPollDelay({ running: true, failures: 0, elapsedMs: 5 })).toBe(FAST_MS);
  });
});
