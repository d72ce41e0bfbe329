/**
 * Runs a write again when DynamoDB refused it only because a concurrent
 * transaction held one of its items (TransactionConflict), e.g. two creates
 * in one project both moving its quota counter: DynamoDB does not queue
 * them, and DynamoDB Local never reports it. A write whose own condition
 * failed is not retried: that is an answer. The write stays conditional, so
 * a retry never breaks an invariant; it only re-checks the condition.
 */
export const isConflictOnly = (error: unknown): boolean => {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (e?.name === 'TransactionConflictException') return true;
  if (e?.name !== 'TransactionCanceledException') return false;
  const codes = (e.CancellationReasons ?? []).map((r) => r.Code);
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
};

/** Attempts, with jittered exponential backoff (at most 800 ms a wait, about 2.5 s in all on average). */
const CONFLICT_ATTEMPTS = 10;

export const retryOnConflict = async <T>(write: () => Promise<T>, attempts = CONFLICT_ATTEMPTS): Promise<T> => {
  for (let i = 1; ; i += 1) {
    try {
      return await write();
    } catch (error) {
      if (!isConflictOnly(error) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** Math.min(i, 5)));
    }
  }
};
