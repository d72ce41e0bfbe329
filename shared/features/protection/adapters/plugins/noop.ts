import type { ProtectionPlugin } from '../../plugins';

/**
 * Karbor's No-Op plugin: protects, restores, deletes and copies every type without
 * touching anything, and reports no per-resource status. A verification
 * succeeds: there is nothing to check (Karbor's No-Op has no verify at all). With a delay
 * (KARBOR_NOOP_DELAY_MS) protect, restore and copy take that long, reporting
 * progress every second (which renews the worker's lease), so a running job
 * can be watched, reset or crashed.
 */
export const noopPlugin = (delayMs = 0): ProtectionPlugin => {
  const wait = async (progress: (status: string) => Promise<void>, status: string) => {
    for (let left = delayMs; left > 0; left -= 1000) {
      await new Promise((r) => setTimeout(r, Math.min(left, 1000)));
      await progress(status);
    }
  };
  return {
    protect: async (ctx) => wait(ctx.progress, 'protecting'),
    restore: async (ctx) => {
      await wait(ctx.progress, 'restoring');
      // A restore shows progress as the resource's status: a slow one ends `available` (the plain one reports nothing, as Karbor's).
      if (delayMs > 0) await ctx.progress('available');
      return {};
    },
    delete: async () => undefined,
    // Nothing was kept, so there is nothing to move (Karbor's No-Op has no copy: docs/decisions.md §15).
    copy: async (ctx) => wait(ctx.progress, 'copying'),
    verify: async () => ({ ok: true, reason: 'nothing to check: the No-Op plugin keeps no data' }),
  };
};
