import type { Bank } from '../../../kernel/ports';
import type { CheckpointKeys } from '../../checkpoints/model';
import { bankSection } from '../bank';
import type { HeldLease } from '../lease';
import type { WorkerDeps } from '../model';
import { type ArtifactKeys, KEYS_FILE, resourceKey } from '../plugins';
import { flattenGraph, type GraphNode } from '../resource-graph';

/**
 * Writes what encrypts a checkpoint's data into its `extra_info.keys`
 * (docs/decisions.md §27): the bank's key and each resource's artifact keys,
 * as its plugin recorded them in the bank (KEYS_FILE), at protect and at
 * copy (a copy's plugins record the destination's). Nothing when nothing is
 * known: the local file bank with plugins that make no encrypted artifacts
 * (No-Op, the export) adds no key, so the local extra info stays Karbor's.
 */
export const recordCheckpointKeys = async (
  deps: WorkerDeps,
  c: { id: string },
  roots: GraphNode[],
  lease: HeldLease,
  bank: Bank = deps.bank,
): Promise<void> => {
  const resources: CheckpointKeys['resources'] = {};
  for (const { resource } of flattenGraph(roots)) {
    const key = resourceKey(resource);
    const text = await bankSection(bank, c.id, key).get(KEYS_FILE);
    if (text !== undefined) resources[key] = JSON.parse(text) as ArtifactKeys;
  }
  if (deps.bankKey === undefined && Object.keys(resources).length === 0) return;
  await deps.checkpoints.setKeys(c.id, lease.token, { ...(deps.bankKey === undefined ? {} : { bank: deps.bankKey }), resources });
};
