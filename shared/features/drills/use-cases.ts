import type { Identity } from '../../kernel/identity';
import type { CheckpointSummary } from '../checkpoints/model';
import { type DrillDeps, type DrillDepth, type DrillHolder, type DrillOutcome, type DrillRequest, DRILL_START_GRACE_SECONDS } from './model';

/** Reads and takes of the seats before a drill gives up (each lost race is another drill that just started). */
const TAKE_ATTEMPTS = 3;

/** The newest available checkpoint of the plan under the provider, if any. */
const newestAvailable = async (deps: DrillDeps, op: DrillRequest): Promise<CheckpointSummary | undefined> => {
  const def = op.operationDefinition;
  const all = await deps.checkpoints.listCheckpoints({ projectId: op.projectId, providerId: def.provider_id, planId: def.plan_id });
  return all.filter((c) => c.status === 'available').sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))[0];
};

/**
 * Why a `full` drill of this checkpoint runs at `basic` (docs/decisions.md
 * §24): over the definition's `max_bytes` by what its protect wrote to the
 * bank (§23), or of unknown size (protected before sizes were recorded) while
 * a cap is set. Undefined: no cap, or within it.
 */
const overCap = (checkpoint: { bankBytes?: number }, maxBytes: string | undefined): string | undefined => {
  if (maxBytes === undefined) return undefined;
  if (checkpoint.bankBytes === undefined) return `the checkpoint's size is unknown and max_bytes is ${maxBytes}: verified at depth basic`;
  if (checkpoint.bankBytes > Number(maxBytes)) return `the checkpoint holds ${checkpoint.bankBytes} bytes, over max_bytes ${maxBytes}: verified at depth basic`;
  return undefined;
};

/** The verify parameters of a drill: `depth` for every resource type whose verify_schema declares it, nothing for the others. */
const drillParameters = (schemas: Record<string, Record<string, unknown>>, depth: DrillDepth) =>
  Object.fromEntries(
    Object.entries(schemas)
      .filter(([, schema]) => Object.hasOwn((schema.properties as Record<string, unknown> | undefined) ?? {}, 'depth'))
      .map(([type]) => [type, { depth }]),
  );

/**
 * Takes the plan's guard and a free account slot for `holder`, or says why
 * not. A seat is free when its drill's verification has ended (or is past its
 * deadline), or was never created and the seat is older than the grace.
 */
const takeSeats = async (deps: DrillDeps, planId: string, holder: DrillHolder, now: Date): Promise<string | undefined> => {
  const nowIso = now.toISOString();
  for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt += 1) {
    const seats = await deps.guards.read(planId);
    const held = [...(seats.plan ? [seats.plan] : []), ...seats.slots.values()];
    const statuses = await deps.verifications.statuses(
      held.map((h) => h.verificationId),
      nowIso,
    );
    const running = (h: DrillHolder | undefined) => {
      if (!h) return false;
      const status = statuses.get(h.verificationId);
      if (status !== undefined) return status === 'in_progress';
      return Date.parse(h.takenAt) + DRILL_START_GRACE_SECONDS * 1000 > now.getTime();
    };
    if (running(seats.plan)) return `A drill of plan ${planId} is running (verification ${seats.plan!.verificationId}): this occurrence is skipped.`;
    // Slots beyond a lowered cap are never taken again; their drills still count until they end.
    const busy = [...seats.slots.values()].filter((h) => running(h)).length;
    const slot = Array.from({ length: deps.concurrency }, (_, n) => n).find((n) => !running(seats.slots.get(n)));
    if (slot === undefined || busy >= deps.concurrency) {
      return `${busy} drills are running, the most the account allows (KARBOR_DRILL_CONCURRENCY=${deps.concurrency}): this occurrence is skipped.`;
    }
    const taken = await deps.guards.take(planId, slot, { plan: seats.plan, slot: seats.slots.get(slot) }, holder);
    if (taken === 'taken') return undefined;
  }
  return `Another drill took the seat first ${TAKE_ATTEMPTS} times: this occurrence is skipped.`;
};

/**
 * Runs a drill for one occurrence of a `verify` scheduled operation
 * (docs/decisions.md §24).
 * 1. the plan's newest `available` checkpoint under the provider; none ->
 *    `failed` with the reason (nothing is started);
 * 2. the verify parameters: the definition's `depth` (`basic` unless `full`
 *    is asked for; a `full` one over the definition's `max_bytes` runs at
 *    `basic` and says so in `capped`) for every resource type whose
 *    verify_schema declares it;
 * 3. the plan's drill guard and one of the account's KARBOR_DRILL_CONCURRENCY
 *    slots, taken in one conditional transaction under a fresh verification
 *    id: a drill of the plan still running, or every slot held by a running
 *    drill -> `skipped` with the reason (not queued);
 * 4. the verification, started as the API starts one, acting for the
 *    operation's creator, marked as this operation's drill (its success
 *    moves the plan's last verified time). Its pre-checks failing (the
 *    checkpoint went meanwhile) -> `failed` with its reason; the seats are
 *    free again as the verification is not running.
 */
export const runDrill = async (deps: DrillDeps, op: DrillRequest): Promise<DrillOutcome> => {
  const def = op.operationDefinition;
  const now = deps.clock.now();
  const checkpoint = await newestAvailable(deps, op);
  if (!checkpoint) return { outcome: 'failed', reason: `Plan ${def.plan_id} has no available checkpoint to verify.` };
  const provider = deps.providers.all().find((p) => p.id === def.provider_id);
  if (!provider) return { outcome: 'failed', reason: `Provider ${def.provider_id} could not be found.`, checkpointId: checkpoint.id };
  const capped = def.depth === 'full' ? overCap(checkpoint, def.max_bytes) : undefined;
  const depth: DrillDepth = def.depth === 'full' && capped === undefined ? 'full' : 'basic';
  const holder: DrillHolder = { verificationId: deps.ids.newId(), takenAt: now.toISOString() };
  const refused = await takeSeats(deps, def.plan_id, holder, now);
  if (refused !== undefined) return { outcome: 'skipped', reason: refused };
  // The scheduler acts as the operation's creator, in its project (as a protect run does).
  const identity: Identity = { userId: op.userId, projectId: op.projectId, roles: [], isAdmin: false };
  const verification = await deps.verifications.start(identity, {
    id: holder.verificationId,
    providerId: def.provider_id,
    checkpointId: checkpoint.id,
    parameters: drillParameters(provider.extendedInfoSchema.verify_schema, depth),
    drill: { planId: def.plan_id, scheduledOperationId: op.id },
  });
  if (verification.status === 'fail') {
    return { outcome: 'failed', reason: verification.errorReason ?? 'the verification failed', checkpointId: checkpoint.id, verificationId: verification.id };
  }
  return { outcome: 'started', verificationId: verification.id, checkpointId: checkpoint.id, depth, ...(capped ? { capped } : {}) };
};
