import { catalogOf } from '../../../../../shared/features/destinations/model';
import type { Checkpoint, CheckpointDataLocks, LockChange } from '../../../../../shared/features/checkpoints/model';
import { CheckpointLockedError } from '../../../../../shared/features/checkpoints/model';
import { deleteCheckpoint, lockCheckpoint, newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { ConditionLostError, ConflictError, ForbiddenError, InvalidInputError, ServiceError } from '../../../../../shared/kernel/errors';
import type { Provider } from '../../../../../shared/features/providers/model';
import { fakeCheckpointStore, fakePlans, fixedClock, recordingPublisher, sequentialIds } from '../../../../support/protection-fakes';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const ID = '22222222-2222-4222-8222-222222222222';
const PROVIDER = { id: NOOP, name: 'No-Op', description: '', bank: 'default', plugins: {}, extendedInfoSchema: {} } as unknown as Provider;
const PLAN = { id: 'plan-1', projectId: 'p1', name: 'plan', description: null, providerId: NOOP, status: 'suspended', resources: [], parameters: {} };
const ADMIN = { userId: 'admin', projectId: 'p1', roles: ['admin'], isAdmin: true };
const MEMBER = { userId: 'alice', projectId: 'p1', roles: [], isAdmin: false };

/** The lock use case's own paths (the rules over HTTP: test/e2e/locks.test.ts; the conditions: the DynamoDB Local store test). */
describe('lockCheckpoint', () => {
  const setup = (over: Partial<Checkpoint> = {}) => {
    const checkpoints = fakeCheckpointStore();
    const clock = fixedClock();
    const applied: Array<[string, LockChange]> = [];
    const dataLocks: CheckpointDataLocks = { apply: async (id, change) => void applied.push([id, change]) };
    checkpoints.items.set(ID, { ...newCheckpoint(PLAN, {}, ID, new Date(clock.now().getTime() - 60_000), 3600), status: 'available', ...over });
    const deps = {
      checkpoints,
      providers: { all: () => [PROVIDER] },
      destinations: catalogOf([]),
      clock,
      dataLocks,
      plans: fakePlans([PLAN]),
      events: recordingPublisher(),
      ids: { newId: sequentialIds() },
      log: () => undefined,
      deadlineSeconds: 3600,
      quota: { checkpointLimit: async () => -1 },
    };
    const later = (days: number) => new Date(clock.now().getTime() + days * 86400_000).toISOString();
    return { deps, checkpoints, applied, later };
  };

  it('writes the lock with its time in one form, then puts the same change on the data', async () => {
    // Prepare
    const { deps, applied, checkpoints } = setup();
    // Act
    const locked = await lockCheckpoint(deps, MEMBER, NOOP, ID, { lock: { mode: 'governance', until: '2027-01-01T00:00:00+02:00' }, legalHold: true });
    // Assess
    const lock = { mode: 'governance', until: '2026-12-31T22:00:00.000Z' };
    expect(locked).toMatchObject({ lock, legalHold: true });
    expect(checkpoints.items.get(ID)).toMatchObject({ lock, legalHold: true });
    expect(applied).toEqual([[ID, { lock, legalHold: true }]]);
  });

  it('answers a data lock that fails with a 500 naming it; the item keeps its lock', async () => {
    // Prepare
    const { deps, checkpoints, later } = setup();
    deps.dataLocks = { apply: async () => Promise.reject(new Error('InvalidRequest: Bucket is missing Object Lock Configuration')) };
    // Act / Assess
    await expect(lockCheckpoint(deps, MEMBER, NOOP, ID, { lock: { mode: 'compliance', until: later(1) } })).rejects.toThrow(
      new ServiceError(
        `The lock of checkpoint ${ID} is recorded, but its data could not be locked: InvalidRequest: Bucket is missing Object Lock Configuration`,
      ),
    );
    expect(checkpoints.items.get(ID)?.lock?.mode).toBe('compliance');
  });

  it('judges a write that lost its race on what won: a compliance lock set meanwhile is a 409, and nothing reaches the data', async () => {
    // Prepare: the read sees a governance lock; the write meets a compliance one
    const { deps, checkpoints, applied, later } = setup({ lock: { mode: 'governance', until: '2026-12-01T00:00:00.000Z' } });
    checkpoints.setLock = async () => {
      checkpoints.items.get(ID)!.lock = { mode: 'compliance', until: later(30) };
      throw new ConditionLostError('lost');
    };
    // Act / Assess
    await expect(lockCheckpoint(deps, ADMIN, NOOP, ID, { lock: null })).rejects.toThrow(ConflictError);
    expect(applied).toEqual([]);
  });

  it('refuses a member shortening a governance lock before anything is written', async () => {
    // Prepare
    const { deps, applied, later } = setup({ lock: { mode: 'governance', until: '2026-12-20T00:00:00.000Z' } });
    // Act / Assess
    await expect(lockCheckpoint(deps, MEMBER, NOOP, ID, { lock: { mode: 'governance', until: later(1) } })).rejects.toThrow(ForbiddenError);
    expect(applied).toEqual([]);
  });

  it('refuses a checkpoint that is not available', async () => {
    // Prepare
    const { deps } = setup({ status: 'deleting' });
    // Act / Assess
    await expect(lockCheckpoint(deps, MEMBER, NOOP, ID, { legalHold: true })).rejects.toThrow(new InvalidInputError(`The checkpoint ${ID} can not be locked.`));
  });
});

describe('deleteCheckpoint under a lock', () => {
  it('answers a lock that came between the read and the write with the lock, not with the status message', async () => {
    // Prepare
    const checkpoints = fakeCheckpointStore();
    const clock = fixedClock();
    checkpoints.items.set(ID, { ...newCheckpoint(PLAN, {}, ID, clock.now(), 3600), status: 'available' });
    const transition = checkpoints.transition.bind(checkpoints);
    checkpoints.transition = async (id, change) => {
      checkpoints.items.get(id)!.legalHold = true;
      return transition(id, change);
    };
    const deps = {
      checkpoints,
      providers: { all: () => [PROVIDER] },
      destinations: catalogOf([]),
      clock,
      plans: fakePlans([PLAN]),
      events: recordingPublisher(),
      ids: { newId: sequentialIds() },
      log: () => undefined,
      deadlineSeconds: 3600,
      quota: { checkpointLimit: async () => -1 },
    };
    // Act / Assess
    await expect(deleteCheckpoint(deps, MEMBER, NOOP, ID)).rejects.toThrow(new CheckpointLockedError(`Checkpoint ${ID} is on legal hold.`));
    expect(checkpoints.items.get(ID)?.status).toBe('available');
  });
});
