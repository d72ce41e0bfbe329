import { bankSection } from '../../shared/features/protection/bank';
import type { PluginContext } from '../../shared/features/protection/plugins';
import { localSteps } from '../../shared/features/protection/job-steps';
import { memoryBank } from './protection-fakes';

/** A plugin context over an in-memory bank that records progress reports, steps (by name) and waits (seconds), which take no time. */
export const pluginContext = (over: Partial<PluginContext> = {}, key = 'T#x') => {
  const bank = memoryBank();
  const progress: [string, string | undefined][] = [];
  const recorded: Record<string, unknown> = {};
  const waits: number[] = [];
  const steps = localSteps({
    recorded,
    save: async () => undefined,
    sleep: async (ms) => void waits.push(ms / 1000),
  });
  const ctx: PluginContext = {
    checkpointId: 'cp-1',
    projectId: 'p1',
    bank: bankSection(bank, 'cp-1', key),
    parameters: {},
    restored: {},
    restoreId: 'rrrrrrrr-1111',
    progress: async (status, reason) => void progress.push([status, reason]),
    steps,
    ...over,
  };
  return { ctx, bank, progress, recorded, waits };
};
