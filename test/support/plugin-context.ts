import { bankSection } from '../../shared/features/protection/bank';
import type { PluginContext } from '../../shared/features/protection/plugins';
import { memoryBank } from './protection-fakes';

/** A plugin context over an in-memory bank that records progress reports. */
export const pluginContext = (over: Partial<PluginContext> = {}, key = 'T#x') => {
  const bank = memoryBank();
  const progress: [string, string | undefined][] = [];
  const ctx: PluginContext = {
    checkpointId: 'cp-1',
    projectId: 'p1',
    bank: bankSection(bank, 'cp-1', key),
    parameters: {},
    restored: {},
    restoreId: 'rrrrrrrr-1111',
    progress: async (status, reason) => void progress.push([status, reason]),
    ...over,
  };
  return { ctx, bank, progress };
};
