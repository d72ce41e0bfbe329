/**
 * Maps `items` with at most `limit` calls of `fn` in flight, keeping the
 * order; the first rejection rejects the whole (calls already started finish
 * unobserved). For fan-outs to rate-limited APIs (DynamoDB's control plane).
 */
export const mapLimit = async <T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const at = next;
      next += 1;
      results[at] = await fn(items[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane));
  return results;
};

/** At most `max` calls at once, the others queued in order (a job's calls per AWS service; the local runtime's invocations). */
export const semaphore = (max: number) => {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => queue.push(resolve));
    else running += 1;
    try {
      return await fn();
    } finally {
      const next = queue.shift();
      // The slot passes straight to the next caller.
      if (next) next();
      else running -= 1;
    }
  };
};
