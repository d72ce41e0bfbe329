import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import type { Checkpoint, LockChange } from '../../../../../shared/features/checkpoints/model';
import { dynamoCheckpointStore } from '../../../../../shared/features/checkpoints/store';
import { ConditionLostError } from '../../../../../shared/kernel/errors';
import { createTestTable, testClients } from '../../../../support/dynamo';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const NOW = '2027-01-01T00:00:00.000Z';
const LATER = '2027-02-01T00:00:00.000Z';
const MUCH_LATER = '2027-03-01T00:00:00.000Z';
const SOONER = '2027-01-15T00:00:00.000Z';
const plan = { id: 'plan-l', projectId: 'p1', name: 'l', description: null, providerId: NOOP, status: 'suspended', resources: [], parameters: {} };
let n = 0;

/** A store command's outcome: done, or refused by its condition; any other error fails the test. */
const outcome = (command: Promise<unknown>) =>
  command.then(
    () => 'done',
    (error: unknown) => {
      if (error instanceof ConditionLostError) return 'condition lost';
      throw error;
    },
  );

/** The lock conditions of the checkpoint store against DynamoDB Local (docs/decisions.md §19): the write, not the use case, is the guard. */
describe('checkpoint store locks (DynamoDB Local)', () => {
  let table: string;
  const { doc } = testClients();
  const store = () => dynamoCheckpointStore(doc, table);
  const available = async (over: Partial<Checkpoint> = {}) => {
    n += 1;
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    await store().create({ ...newCheckpoint(plan, { created_by: 'manual' }, id, new Date('2026-12-01T00:00:00Z'), 3600), status: 'available', ...over });
    return id;
  };
  const setLock = (id: string, change: LockChange, mayShorten = false) => store().setLock(id, { ...change, now: NOW, mayShorten });
  const startDelete = (id: string) =>
    store().transition(id, { from: ['available', 'error'], to: 'deleting', now: NOW, deadline: LATER, quotaDelta: -1, unlockedAt: NOW });

  beforeAll(async () => {
    table = await createTestTable('ckptlock');
  });

  it('keeps the lock and hold on the item and reads them back', async () => {
    // Prepare
    const id = await available();
    // Act
    const written = await setLock(id, { lock: { mode: 'governance', until: LATER }, legalHold: true });
    // Assess
    expect(written).toMatchObject({ lock: { mode: 'governance', until: LATER }, legalHold: true });
    expect(await store().get(id)).toMatchObject({ lock: { mode: 'governance', until: LATER }, legalHold: true });
  });

  it.each<[string, LockChange]>([
    ['a running lock', { lock: { mode: 'governance', until: LATER } }],
    ['a legal hold', { legalHold: true }],
  ])('refuses to start deleting a checkpoint under %s, and the checkpoint stays available', async (_name, change) => {
    // Prepare
    const id = await available();
    await setLock(id, change);
    // Act
    const result = await outcome(startDelete(id));
    // Assess
    expect(result).toBe('condition lost');
    expect((await store().get(id))?.status).toBe('available');
  });

  it('lets a delete past a lapsed lock', async () => {
    // Prepare
    const id = await available({ lock: { mode: 'compliance', until: '2026-12-31T00:00:00.000Z' } });
    // Act
    const result = await outcome(startDelete(id));
    // Assess
    expect(result).toBe('done');
  });

  it('of a lock and a delete racing, exactly one wins, and never a deleted locked checkpoint', async () => {
    // Prepare
    const id = await available();
    // Act
    const [locked, deleting] = await Promise.all([outcome(setLock(id, { lock: { mode: 'compliance', until: LATER } })), outcome(startDelete(id))]);
    // Assess
    const after = await store().get(id);
    expect([locked, deleting].sort()).toEqual(['condition lost', 'done']);
    // The delete won: no lock on it. The lock won: still available, locked.
    const expected = deleting === 'done' ? { status: 'deleting', lock: undefined } : { status: 'available', lock: { mode: 'compliance', until: LATER } };
    expect({ status: after?.status, lock: after?.lock }).toEqual(expected);
  });

  it.each<[string, LockChange, boolean]>([
    ['lifts it', { lock: null }, true],
    ['shortens it', { lock: { mode: 'compliance', until: SOONER } }, true],
    ['turns it into governance', { lock: { mode: 'governance', until: MUCH_LATER } }, true],
  ])('never lets a write that %s pass a running compliance lock, even with the unlock right', async (_name, change, mayShorten) => {
    // Prepare
    const id = await available({ lock: { mode: 'compliance', until: LATER } });
    // Act
    const result = await outcome(setLock(id, change, mayShorten));
    // Assess
    expect(result).toBe('condition lost');
    expect((await store().get(id))?.lock).toEqual({ mode: 'compliance', until: LATER });
  });

  it('extends a compliance lock', async () => {
    // Prepare
    const id = await available({ lock: { mode: 'compliance', until: LATER } });
    // Act
    const written = await setLock(id, { lock: { mode: 'compliance', until: MUCH_LATER } });
    // Assess
    expect(written.lock).toEqual({ mode: 'compliance', until: MUCH_LATER });
  });

  it('without the unlock right refuses shortening a governance lock and releasing a hold; with it, both pass', async () => {
    // Prepare
    const id = await available({ lock: { mode: 'governance', until: LATER }, legalHold: true });
    // Act
    const results = [
      await outcome(setLock(id, { lock: { mode: 'governance', until: SOONER } })),
      await outcome(setLock(id, { legalHold: false })),
      await outcome(setLock(id, { lock: null, legalHold: false }, true)),
    ];
    // Assess
    expect(results).toEqual(['condition lost', 'condition lost', 'done']);
    const after = await store().get(id);
    expect([after?.lock, after?.legalHold]).toEqual([undefined, undefined]);
  });

  it('refuses to lock a checkpoint that is not available', async () => {
    // Prepare
    const id = await available({ status: 'deleting' });
    // Act
    const result = await outcome(setLock(id, { legalHold: true }));
    // Assess
    expect(result).toBe('condition lost');
  });
});
