import type { DrillDeps, DrillGuardStore, DrillHolder, DrillRequest } from '../../../../../shared/features/drills/model';
import { runDrill } from '../../../../../shared/features/drills/use-cases';
import type { Provider } from '../../../../../shared/features/providers/model';
import type { Verification } from '../../../../../shared/features/verifications/model';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const PLAN = '22222222-2222-2222-2222-222222222222';
const noop = {
  id: NOOP,
  extendedInfoSchema: { options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: { 'OS::Keystone::Project': {}, 'OS::Nova::Server': {} } },
} as unknown as Provider;

/** An in-memory guard store: the seats as a map, taken only if unchanged. */
const memoryGuards = (): DrillGuardStore & { plans: Map<string, DrillHolder> } => {
  const plans = new Map<string, DrillHolder>();
  const slots = new Map<number, DrillHolder>();
  return {
    plans,
    read: async (planId) => ({ plan: plans.get(planId), slots: new Map(slots) }),
    take: async (planId, slot, seen, holder) => {
      if (plans.get(planId)?.verificationId !== seen.plan?.verificationId) return 'plan-busy';
      if (slots.get(slot)?.verificationId !== seen.slot?.verificationId) return 'slot-busy';
      plans.set(planId, holder);
      slots.set(slot, holder);
      return 'taken';
    },
  };
};

const world = (answer: Partial<Verification> = {}) => {
  const started: unknown[] = [];
  const guards = memoryGuards();
  const deps: DrillDeps = {
    checkpoints: { listCheckpoints: async () => [{ id: 'cp', status: 'available', createdAt: '2026-11-24T03:00:00.000Z' }] },
    verifications: {
      start: async (identity, input) => {
        started.push({ identity, input });
        return { id: input.id, status: 'in_progress', ...answer } as Verification;
      },
      statuses: async () => new Map(),
    },
    providers: { all: () => [noop] },
    guards,
    concurrency: 2,
    clock: { now: () => new Date('2026-11-25T03:00:00Z') },
    ids: { newId: () => 'v-1' },
  };
  return { deps, started, guards };
};
const op = (definition: Record<string, string> = {}): DrillRequest => ({
  id: 'op-1',
  projectId: 'p',
  userId: 'alice',
  operationDefinition: { provider_id: NOOP, plan_id: PLAN, ...definition },
});

describe('runDrill (docs/decisions.md §24)', () => {
  it('verifies a No-Op checkpoint with empty parameters (its types declare no depth), acting for the creator', async () => {
    // Prepare
    const w = world();
    // Act
    const result = await runDrill(w.deps, op({ depth: 'full' }));
    // Assess
    expect(result).toEqual({ outcome: 'started', verificationId: 'v-1', checkpointId: 'cp', depth: 'full' });
    expect(w.started).toEqual([
      {
        identity: { userId: 'alice', projectId: 'p', roles: [], isAdmin: false },
        input: { id: 'v-1', providerId: NOOP, checkpointId: 'cp', parameters: {}, drill: { planId: PLAN, scheduledOperationId: 'op-1' } },
      },
    ]);
    expect(w.guards.plans.get(PLAN)).toEqual({ verificationId: 'v-1', takenAt: '2026-11-25T03:00:00.000Z' });
  });

  it('answers failed with the verification pre-check reason, naming the checkpoint and the verification', async () => {
    // Prepare
    const w = world({ status: 'fail', errorReason: 'The checkpoint cp is not available.' });
    // Act
    const result = await runDrill(w.deps, op());
    // Assess
    expect(result).toEqual({ outcome: 'failed', reason: 'The checkpoint cp is not available.', checkpointId: 'cp', verificationId: 'v-1' });
  });

  it('answers failed for a provider it does not know, taking no seat', async () => {
    // Prepare
    const w = world();
    // Act
    const result = await runDrill(w.deps, op({ provider_id: '9b1d0f4e-7a3c-4d2e-9f55-000000000001' }));
    // Assess
    expect(result).toEqual({ outcome: 'failed', reason: 'Provider 9b1d0f4e-7a3c-4d2e-9f55-000000000001 could not be found.', checkpointId: 'cp' });
    expect(w.guards.plans.size).toBe(0);
  });
});
