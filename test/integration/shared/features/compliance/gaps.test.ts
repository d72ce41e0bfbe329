import { randomUUID } from 'node:crypto';
import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { dynamoCheckpointStore } from '../../../../../shared/features/checkpoints/store';
import type { Plan } from '../../../../../shared/features/plans/model';
import { planStore } from '../../../../../shared/features/plans/store';
import { showPlan } from '../../../../../shared/features/plans/use-cases';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { fixedClock } from '../../../../support/protection-fakes';

const P = 'gaps-proj';
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const ME = { userId: 'alice', projectId: P, roles: [], isAdmin: false };

/** The compliance gaps of docs/decisions.md §20 closed: a trigger update, a delete of the newest good checkpoint, the backfill. */
describe('plan compliance gaps on DynamoDB Local', () => {
  let table: string;
  const { doc } = testClients();
  const plans = () => planStore(doc, table);
  const checkpoints = () => dynamoCheckpointStore(doc, table);
  const clock = fixedClock('2026-11-25T12:00:00.000Z');

  const aPlan = async (): Promise<Plan> => {
    const plan: Plan = {
      id: randomUUID(),
      projectId: P,
      name: 'p',
      description: null,
      providerId: NOOP,
      status: 'started',
      resources: [],
      parameters: {},
      createdAt: '2026-11-25T11:00:00.000000',
      updatedAt: '2026-11-25T11:00:00.000000',
      version: 1,
    };
    await plans().create(plan, -1);
    return plan;
  };
  /** A checkpoint of the plan protected to `available` through the worker's final write, at the clock's now. */
  const goodCheckpoint = async (plan: Plan, extraInfo: Record<string, unknown> = { created_by: 'operation-engine' }) => {
    const c = newCheckpoint(plan, extraInfo, randomUUID(), clock.now(), 3600);
    await checkpoints().create(c);
    const now = clock.now().toISOString();
    await checkpoints().jobs.claim(c.id, 'protecting', { token: 't', now, until: new Date(clock.now().getTime() + 120_000).toISOString() });
    await checkpoints().jobs.finish(c.id, 't', 'protecting', 'available', undefined, undefined, undefined, now);
    return c;
  };
  /** What the API's delete does before the worker: the checkpoint leaves `available`. */
  const startDelete = (id: string) => checkpoints().transition(id, { from: ['available'], to: 'deleting', now: clock.now().toISOString() });
  const shown = async (id: string) => (await showPlan({ plans: plans(), clock }, ME, id)).compliance;

  beforeAll(async () => {
    table = await createTestTable('compliance-gaps');
  });

  it('moves the last-good time back to the next newest good checkpoint when the newest is deleted, and to none after the last', async () => {
    // Prepare: two good checkpoints an hour apart, a failed one and a copy after them
    const plan = await aPlan();
    const older = await goodCheckpoint(plan);
    clock.advance(3600);
    const newer = await goodCheckpoint(plan);
    clock.advance(60);
    // Act
    await startDelete(newer.id);
    await checkpoints().retractGood(newer);
    const afterNewest = await shown(plan.id);
    await startDelete(older.id);
    await checkpoints().retractGood(older);
    const afterLast = await shown(plan.id);
    // Assess
    expect(afterNewest).toMatchObject({ status: 'compliant', lastGoodAt: older.createdAt });
    expect(afterLast).toMatchObject({ status: 'unprotected', lastGoodAt: null });
  });

  it('leaves the last-good time alone when an older checkpoint is deleted, and skips copies', async () => {
    // Prepare
    const plan = await aPlan();
    const older = await goodCheckpoint(plan);
    clock.advance(3600);
    const copy = await goodCheckpoint(plan, { source_checkpoint_id: older.id, destination: 'd' });
    const newest = await goodCheckpoint(plan);
    const before = await shown(plan.id);
    // Act
    await startDelete(older.id);
    await checkpoints().retractGood(older);
    const afterOlder = await shown(plan.id);
    await startDelete(newest.id);
    await checkpoints().retractGood(newest);
    const afterNewest = await shown(plan.id);
    // Assess: the copy (an older point in time) never counts
    expect(copy.extraInfo.source_checkpoint_id).toBe(older.id);
    expect(afterOlder).toEqual(before);
    expect(afterNewest).toMatchObject({ status: 'unprotected', lastGoodAt: null });
  });
});
