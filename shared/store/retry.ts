/**
 * Retries a write that lost a race with a concurrent transaction on the same
 * item (DynamoDB's TransactionConflict): the write itself stays conditional,
 * so retrying never breaks an invariant; it only re-checks the condition.
 */
const isConflict = (error: unknown): boolean => {
  const e = error as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  return (
    e?.name === 'TransactionConflictException' ||
    (e?.name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'))
  );
};

export const retryOnConflict = async <T>(write: () => Promise<T>, attempts = 10): Promise<T> => {
  for (let i = 1; ; i += 1) {
    try {
      return await write();
    } catch (error) {
      if (!isConflict(error) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** Math.min(i, 5)));
    }
  }
};
