/**
 * `load` run once, on the first call, and its promise shared by every caller;
 * a failure is not kept, so the next call tries again. For modules and SDK
 * clients imported on first use (issue #15: a cold start loads only what the
 * request needs).
 */
export const lazily = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
};
