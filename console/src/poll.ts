/** How often the console polls: faster while a job runs, slower when the API is slow, backing off while it fails. */
export const FAST_MS = 2000;
export const SLOW_MS = 10_000;
/** The longest wait between two tries of an API that keeps failing. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * The wait before the next poll: 2 s while a job runs, else 10 s; never less
 * than five times what the last load took (an API that answers slowly is
 * asked less often); after `failures` failed loads in a row, 10 s doubled
 * per failure, at most 5 minutes.
 */
export const nextPollDelay = ({ running, failures, elapsedMs }: { running: boolean; failures: number; elapsedMs: number }): number => {
  if (failures > 0) return Math.min(SLOW_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);
  return Math.min(Math.max(running ? FAST_MS : SLOW_MS, 5 * elapsedMs), MAX_BACKOFF_MS);
};
