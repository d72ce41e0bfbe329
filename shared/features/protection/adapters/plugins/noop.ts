import type { ProtectionPlugin } from '../../plugins';

/**
 * Karbor's No-Op plugin: protects, restores and deletes every type without
 * touching anything, and reports no per-resource status.
 */
export const noopPlugin: ProtectionPlugin = {
  protect: async () => undefined,
  restore: async () => ({}),
  delete: async () => undefined,
};
