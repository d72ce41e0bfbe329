import { CHECKPOINT_FAILURES, COPY_FINISHED } from '../../checkpoints/model';
import { writeBankManifest } from '../bank-manifest';
import { writeCheckpointRecord } from '../checkpoint-record';
import { bankOf, locationOf } from '../job-run';
import { LIFECYCLE_EVENTS } from '../../../events/names';
import { ignoreConditionLost } from '../../../kernel/errors';
import { effectiveStatus } from '../../jobs/model';
import { bankSection } from '../bank';
import { type JobEngine, localEngine } from '../job-steps';
import type { RemainingTime, RunOutcome, WorkerDeps } from '../model';
import { unpackResourceGraph } from '../resource-graph';
import { recordCheckpointKeys } from './checkpoint-keys';
import { runCheckpointPhase } from './checkpoint-phase';
import { copyWith } from '../plugins';

/** The source a copy names in its extra info (shared/features/checkpoints/use-cases.ts copyCheckpoints). */
const sourceOf = (extraInfo: Record<string, unknown>): string | undefined =>
  typeof extraInfo.source_checkpoint_id === 'string' ? extraInfo.source_checkpoint_id : undefined;

/**
 * Makes a copy (`Checkpoint Copy Requested`, docs/decisions.md §15).
 * 1. `wait_copying` -> `copying`, with its operation log (a copy already
 *    `copying` is a retry or a second delivery and goes straight on);
 * 2. claim it (`copying`) and check that its source is still `available`;
 * 3. each resource of the source's graph, children first, by its plugin's
 *    `copy` (a plugin without one fails it); resources already `available`
 *    are skipped (resume), each result written as it happens;
 * 4. once every resource is copied: the copy's bank manifest and its record
 *    (`checkpoint.json`) in the bank the copy lives in (docs/decisions.md §26);
 * 5. `available`, with Karbor's `copy_status: finished` in its extra info,
 *    when every resource is; else `error`, after each plugin that ran
 *    removed what it made.
 */
export const copyCheckpoint = async (
  deps: WorkerDeps,
  checkpointId: string,
  remainingMs: RemainingTime = () => 0,
  engine: JobEngine = localEngine(deps.timers.sleep),
): Promise<RunOutcome> => {
  const found = await deps.checkpoints.get(checkpointId);
  if (found?.status === 'wait_copying') {
    await deps.checkpoints
      .transition(checkpointId, {
        from: ['wait_copying'],
        to: 'copying',
        now: deps.clock.now().toISOString(),
        ...(found.operationLogId === undefined ? {} : { log: { update: { id: found.operationLogId, changes: { status: 'copying' } } } }),
      })
      // Another delivery started it first: the claim below sorts out who runs it.
      .catch(ignoreConditionLost);
  }
  return runCheckpointPhase(deps, checkpointId, remainingMs, engine, {
    active: 'copying',
    done: 'available',
    failed: 'error',
    events: { done: LIFECYCLE_EVENTS.checkpointAvailable, failed: LIFECYCLE_EVENTS.checkpointError },
    messages: { finished: 'checkpoint copy finished', progress: 'copy progress' },
    async precheck(c) {
      const sourceId = sourceOf(c.extraInfo);
      const source = sourceId === undefined ? undefined : await deps.checkpoints.get(sourceId);
      if (!source || effectiveStatus(source, deps.clock.now().toISOString(), CHECKPOINT_FAILURES) !== 'available') {
        return `The checkpoint ${sourceId ?? '(none)'} to copy is not available.`;
      }
      return undefined;
    },
    context: (c, key) => {
      const sourceId = sourceOf(c.extraInfo) ?? '';
      return { copyOf: { checkpointId: sourceId, bank: bankSection(deps.bank, sourceId, key), destination: String(c.extraInfo.destination ?? c.providerId) } };
    },
    // The source's graph, written into the copy when it was made.
    graph: async (c) => (c.resourceGraph ? unpackResourceGraph(c.resourceGraph) : []),
    before: (status) => (status === 'available' ? 'skip' : 'run'),
    call: copyWith,
    marksDependents: true,
    undo: (plugin, ctx, resource) => plugin.delete(ctx, resource),
    async afterResources(c, lease, roots) {
      // The copy's bank (the destination's, docs/decisions.md §26) gets its own manifest over what the plugins copied
      // there (the same digests as the source's: the same bytes), after the keys they recorded there (§27); its digest
      // goes on the copy's item, then its record.
      const bank = bankOf(deps, locationOf(c));
      await recordCheckpointKeys(deps, c, roots, lease, bank);
      const manifest = await writeBankManifest(bank, c.id);
      await deps.checkpoints.setManifestDigest(c.id, lease.token, manifest.digest);
      await deps.checkpoints.markCopied(c.id, lease.token);
      await writeCheckpointRecord(bank, c, 'available', { ...c.extraInfo, ...COPY_FINISHED }, manifest.digest);
      return undefined;
    },
  });
};
