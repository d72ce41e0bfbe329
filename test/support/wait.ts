/** Polls `what` until `done` holds or the tries run out, and returns the last value (the test asserts on it). */
export const waitFor = async <T>(what: () => Promise<T>, done: (v: T) => boolean, opts: { tries?: number; intervalMs?: number } = {}): Promise<T> => {
  const { tries = 200, intervalMs = 50 } = opts;
  let last = await what();
  for (let i = 0; i < tries && !done(last); i += 1) {
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await what();
  }
  return last;
};
