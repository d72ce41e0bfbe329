import { LIFECYCLE_EVENTS } from '../../../events/names';
import { writeBankManifest } from '../bank-manifest';
import { writeCheckpointRecord } from '../checkpoint-record';
import { type JobEngine, localEngine } from '../job-steps';
import type { RemainingTime, RunOutcome, WorkerDeps } from '../model';
import { buildResourceGraph, packResourceGraph, unpackResourceGraph } from '../resource-graph';
import { recordCheckpointKeys } from './checkpoint-keys';
import { runCheckpointPhase } from './checkpoint-phase';

/**
 * Protects a checkpoint (`Checkpoint Requested`).
 * 1. claim it (`protecting`, lease free or lapsing soon);
 * 2. build the resource graph from the plan's resources and their
 *    dependents, once (a retry reuses the stored graph);
 * 3. protect each resource with its provider's plugin, children first,
 *    independent ones in parallel; resources already `available` are skipped
 *    (resume); each result is written as it happens, and renews the lease;
 * 4. `available` when every resource is, else `error`: then each plugin
 *    that ran removes what it created (its resource reads `deleted`), and
 *    what could not be removed is named in the reason;
 * 5. once available: the keys that encrypt its data go into its extra info
 *    (./checkpoint-keys.ts), the SHA-256 of every bank object it wrote goes into the
 *    checkpoint's bank manifest, and the manifest's digest onto its item
 *    (./bank-manifest.ts), for verifications to recheck;
 * 6. its record, `checkpoint.json`, beside the manifest (../checkpoint-record.ts);
 * 7. publish the lifecycle event.
 */
export const protectCheckpoint = (
  deps: WorkerDeps,
  checkpointId: string,
  remainingMs: RemainingTime = () => 0,
  engine: JobEngine = localEngine(deps.timers.sleep),
): Promise<RunOutcome> =>
  runCheckpointPhase(deps, checkpointId, remainingMs, engine, {
    active: 'protecting',
    done: 'available',
    failed: 'error',
    events: { done: LIFECYCLE_EVENTS.checkpointAvailable, failed: LIFECYCLE_EVENTS.checkpointError },
    messages: { finished: 'checkpoint finished', progress: 'protect progress' },
    async graph(c, lease, steps) {
      if (c.resourceGraph) return unpackResourceGraph(c.resourceGraph);
      // A step: discovery may answer differently on a replay, the recorded graph does not.
      const packed = await steps.step('graph', async () => {
        const start = c.protectionPlan.resources.map((r) => ({ type: r.type, id: r.id, name: r.name, extraInfo: r.extra_info }));
        const graph = packResourceGraph(await buildResourceGraph(start, (r) => deps.dependentsOf(c.projectId, r)));
        await deps.checkpoints.setGraph(c.id, lease.token, graph);
        return graph;
      });
      return unpackResourceGraph(packed);
    },
    before: (status) => (status === 'available' ? 'skip' : 'run'),
    call: (plugin, ctx, resource) => plugin.protect(ctx, resource),
    marksDependents: true,
    undo: (plugin, ctx, resource) => plugin.delete(ctx, resource),
    async afterResources(c, lease, roots) {
      // A failure here is the platform's retry (the step runs again), not a failed checkpoint.
      await recordCheckpointKeys(deps, c, roots, lease);
      const manifest = await writeBankManifest(deps.bank, c.id);
      await deps.checkpoints.setManifestDigest(c.id, lease.token, manifest.digest, manifest.bytes);
      // The checkpoint's own record beside its data, for a catalog import (docs/decisions.md §26).
      await writeCheckpointRecord(
        deps.bank,
        { ...c, resourceGraph: c.resourceGraph ?? (await deps.checkpoints.get(c.id))?.resourceGraph ?? null },
        'available',
        c.extraInfo,
        manifest.digest,
      );
      return undefined;
    },
  });
