import type { Verification } from '../../verifications/model';
import { LIFECYCLE_EVENTS } from '../../../events/names';
import { errorText, LeaseLostError } from '../../jobs/model';
import { type BankCheck, checkBankManifest } from '../bank-manifest';
import { checkpointPrefix } from '../bank';
import { bankOf, jobRun, locationOf, parametersFor, pluginContext, pluginFor, providerOf } from '../job-run';
import { type JobEngine, localEngine } from '../job-steps';
import { finisher, underLease } from '../lease';
import type { RemainingTime, RunOutcome, WorkerDeps } from '../model';
import { resourceKey, type VerifyResult } from '../plugins';
import { flattenGraph, unpackResourceGraph } from '../resource-graph';

/** What the bank recheck says of one resource: a failure naming the objects that differ, or a note for its reason. */
const bankVerdict = (check: BankCheck, checkpointId: string, key: string): { failed?: string; note: string } => {
  if (check.kind === 'none') return { note: 'bank objects: nothing to compare (the checkpoint predates bank digests)' };
  if (check.kind === 'untrusted') return { failed: check.reason, note: '' };
  const mine = check.changed.filter((name) => name.startsWith(`${key}/`));
  if (mine.length > 0) {
    const names = mine.map((name) => `${checkpointPrefix(checkpointId)}${name}`).join(', ');
    return { failed: `bank object${mine.length > 1 ? 's' : ''} ${names} differ${mine.length > 1 ? '' : 's'} from the digest recorded at protect`, note: '' };
  }
  return { note: 'bank objects match their digests' };
};

/**
 * Runs a verification (`Verification Requested`), resumable like a restore.
 * 1. claim it (`in_progress`);
 * 2. recheck every bank object of the checkpoint against its manifest, and
 *    the manifest against the digest on the checkpoint's item (a step);
 * 3. each resource of the graph: `fail` naming its changed objects, else its
 *    plugin's `verify` (its own steps: a drill's scratch resource is removed
 *    by a step that always runs, also on a resumed run); every resource is
 *    checked, whatever its dependencies' outcome, and gets a reason;
 * 4. `success` when every resource passed, else `fail` with the failures,
 *    its `verify` operation log with it; a lifecycle event.
 */
export const runVerification = (
  deps: WorkerDeps,
  verificationId: string,
  remainingMs: RemainingTime = () => 0,
  engine: JobEngine = localEngine(deps.timers.sleep),
): Promise<RunOutcome> => {
  const jobs = deps.verifications.jobs;
  const finish = finisher(deps, jobs, 'in_progress', {
    message: 'verification finished',
    idField: 'verification_id',
    event: (to) => (to === 'success' ? LIFECYCLE_EVENTS.verificationSucceeded : LIFECYCLE_EVENTS.verificationFailed),
    detail: (v: Verification, to, statuses) => ({
      verification_id: v.id,
      project_id: v.projectId,
      provider_id: v.providerId,
      checkpoint_id: v.checkpointId,
      status: to,
      resources_status: statuses ?? v.resourcesStatus,
    }),
  });
  return underLease<Verification>(
    deps,
    { jobs, active: 'in_progress', failed: 'fail', finish },
    verificationId,
    remainingMs,
    engine,
    async (lease, v, steps) => {
      const checkpoint = await deps.checkpoints.get(v.checkpointId);
      if (!checkpoint?.resourceGraph) return finish(lease.token, v, 'fail', `Checkpoint ${v.checkpointId} has no resource graph.`);
      const check = await steps.step('bank-objects', () =>
        checkBankManifest(bankOf(deps, locationOf(checkpoint)), checkpoint.id, checkpoint.bankManifestDigest),
      );
      const provider = providerOf(deps, v.providerId);
      const roots = unpackResourceGraph(checkpoint.resourceGraph);
      const run = jobRun(jobs, v, lease);
      await run.walk(
        steps,
        roots,
        async (resource, key, inner) => {
          const bank = bankVerdict(check, checkpoint.id, key);
          let result: VerifyResult;
          if (bank.failed !== undefined) result = { ok: false, reason: bank.failed };
          else {
            await run.record(key, 'verifying');
            const ctx = pluginContext(
              deps,
              lease,
              {
                checkpointId: checkpoint.id,
                projectId: v.projectId,
                key,
                type: resource.type,
                parameters: parametersFor(v.parameters, resource),
                location: locationOf(checkpoint),
              },
              inner,
              async (status, reason) => deps.log({ message: 'verify progress', verification_id: v.id, resource: key, status, reason }),
              { restoreId: v.id, restored: {} },
            );
            try {
              const found = await pluginFor(deps, provider, resource.type).verify(ctx, resource);
              result = { ok: found.ok, reason: `${found.reason}; ${bank.note}` };
            } catch (error) {
              if (error instanceof LeaseLostError) throw error;
              result = { ok: false, reason: errorText(error) };
            }
            await lease.renew();
            lease.check();
          }
          await run.record(key, result.ok ? 'success' : 'fail', result.reason);
          // Done either way: a resource's verification never stops its dependents'.
          return { outcome: 'done', status: result.ok ? 'success' : 'fail', reason: result.reason };
        },
        async () => ({ outcome: 'done' }),
      );
      // The walk fills statuses and reasons from every resource's result, recorded by an earlier attempt or run now.
      const keys = flattenGraph(roots).map(({ resource }) => resourceKey(resource));
      const failures = keys.filter((key) => run.statuses[key] !== 'success').map((key) => `${key}: ${run.reasons[key] ?? 'failed'}`);
      if (check.kind === 'checked') {
        // A changed object outside every resource's folder fails the verification itself.
        const strays = check.changed.filter((name) => !keys.some((key) => name.startsWith(`${key}/`)));
        if (strays.length > 0)
          failures.push(`bank objects ${strays.map((n) => checkpointPrefix(checkpoint.id) + n).join(', ')} differ from the digests recorded at protect`);
      }
      return finish(lease.token, v, failures.length === 0 ? 'success' : 'fail', failures.length === 0 ? undefined : failures.join('; '), run.statuses);
    },
  );
};
