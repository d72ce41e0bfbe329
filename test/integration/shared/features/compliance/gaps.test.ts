import { randomUUID } from 'node:crypto';
import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { dynamoCheckpointStore } from '../../../../../shared/features/checkpoints/store';
import type { Plan } from '../../../../../shared/features/plans/model';
import { planStore } from '../../../../../shared/features/plans/store';
import { showPlan } from '../../../../../shared/features/plans/use-cases';
import { planLookup } from '../../../../../shared/features/plans/use-cases';
import { createScheduledOperation, deleteScheduledOperation } from '../../../../../shared/features/scheduled-operations/use-cases';
import { dynamoScheduledOperationStore } from '../../../../../shared/features/scheduled-operations/store';
import { calendarRules } from '../../../../../shared/features/triggers/calendar';
import { dynamoTriggerStore } from '../../../../../shared/features/triggers/store';
import { updateTrigger } from '../../../../../shared/features/triggers/use-cases';
import { backfillCompliance } from '../../../../../shared/features/compliance/migrate';
import { toOperationItem } from '../../../../../shared/features/scheduled-operations/store';
import { bindingItem } from '../../../../../shared/features/scheduled-operations/transact';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { anOperation } from '../../../../support/triggers';
import { ConflictError } from '../../../../../shared/kernel/errors';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { fixedClock } from '../../../../support/protection-fakes';
import { aTrigger } from '../../../../support/triggers';

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
  const triggers = () => dynamoTriggerStore(doc, table);
  const operationDeps = () => ({
    operations: dynamoScheduledOperationStore(doc, table),
    triggers: triggers(),
    plans: planLookup(plans()),
    calendar: async () => calendarRules,
    clock,
    ids: { newId: randomUUID },
  });
  const hourly = async () => {
    const made = clock.now().toISOString();
    const trigger = aTrigger(P, {
      properties: { format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00', window: '900' },
      createdAt: made,
      scheduledFrom: made,
    });
    await triggers().create(trigger);
    return trigger;
  };
  const schedule = (plan: Plan, triggerId: string, operation_type = 'protect') =>
    createScheduledOperation(operationDeps(), ME, {
      name: 'op',
      operation_type,
      trigger_id: triggerId,
      operation_definition: { provider_id: NOOP, plan_id: plan.id },
    });
  const puts: string[] = [];
  const triggerDeps = () => ({
    triggers: triggers(),
    scheduler: { put: async (s: { triggerId: string }) => void puts.push(s.triggerId), remove: async () => undefined },
    limits: { minIntervalSeconds: 3600, minWindowSeconds: 900, maxWindowSeconds: 7200 },
    clock,
    ids: { newId: randomUUID },
  });
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

  it('refreshes the expected interval of every plan whose operations use a trigger when its properties change', async () => {
    // Prepare: two plans on one hourly trigger (one with a protect and a drill), a third plan on another trigger
    const trigger = await hourly();
    const other = await hourly();
    const [a, b, c] = [await aPlan(), await aPlan(), await aPlan()];
    await schedule(a, trigger.id);
    await schedule(a, trigger.id, 'verify');
    await schedule(b, trigger.id);
    await schedule(c, other.id);
    // Act: the trigger becomes daily
    clock.advance(60);
    await updateTrigger(triggerDeps() as never, ME, trigger.id, {
      properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', window: '900' },
    });
    // Assess
    expect((await shown(a.id)).expectedIntervalSeconds).toBe(86400 + 900);
    expect((await shown(b.id)).expectedIntervalSeconds).toBe(86400 + 900);
    expect((await shown(c.id)).expectedIntervalSeconds).toBe(3600 + 900);
    expect(puts).toContain(trigger.id);
  });

  it('drops the expectations when the trigger has fewer than two runs left, and gives a deleted operation none', async () => {
    // Prepare
    const trigger = await hourly();
    const plan = await aPlan();
    await schedule(plan, trigger.id);
    const gone = await schedule(plan, trigger.id);
    await deleteScheduledOperation(operationDeps(), ME, gone.id);
    // Act: an end time after one more run
    clock.advance(60);
    const end = new Date(clock.now().getTime() + 90 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    await updateTrigger(triggerDeps() as never, ME, trigger.id, {
      properties: { format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00', end_time: end, window: '900' },
    });
    // Assess: no live expectation is left
    expect(await shown(plan.id)).toMatchObject({ status: 'unprotected', expectedIntervalSeconds: null });
  });

  it('refuses an operation whose trigger changed after it was read (its expectation would be stale)', async () => {
    // Prepare: the create reads the trigger, then an update changes it before the create writes
    const trigger = await hourly();
    const plan = await aPlan();
    const stale = { ...operationDeps(), triggers: { get: async () => trigger } };
    clock.advance(60);
    await updateTrigger(triggerDeps() as never, ME, trigger.id, {
      properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', window: '900' },
    });
    // Act
    const create = createScheduledOperation(stale, ME, {
      name: 'op',
      operation_type: 'protect',
      trigger_id: trigger.id,
      operation_definition: { provider_id: NOOP, plan_id: plan.id },
    });
    // Assess
    await expect(create).rejects.toBeInstanceOf(ConflictError);
  });

  it('backfills the expectations and last-good time of a plan made before compliance existed, once', async () => {
    // Prepare: an operation and an available checkpoint written without their compliance fields
    const trigger = await hourly();
    const plan = await aPlan();
    const op = anOperation(P, trigger.id, plan.id);
    for (const Item of [toOperationItem(op), bindingItem('TRIGGER', trigger.id, [op.id]), bindingItem('PLAN', plan.id, [op.id])]) {
      await doc.send(new PutCommand({ TableName: table, Item }));
    }
    const old = { ...newCheckpoint(plan, { created_by: 'manual' }, randomUUID(), new Date('2026-11-20T10:00:00.000Z'), 3600), status: 'available' as const };
    await checkpoints().create(old);
    const before = await shown(plan.id);
    // Act
    const first = await backfillCompliance(doc, table, clock.now());
    const after = await shown(plan.id);
    const again = await backfillCompliance(doc, table, clock.now());
    // Assess
    expect(before).toMatchObject({ status: 'unprotected', expectedIntervalSeconds: null });
    expect(after).toMatchObject({ lastGoodAt: old.createdAt, expectedIntervalSeconds: 3600 + 900 });
    expect(first.expectations).toBeGreaterThanOrEqual(1);
    expect(first.lastGood).toBeGreaterThanOrEqual(1);
    expect(again).toMatchObject({ expectations: 0, lastGood: 0 });
    expect(await shown(plan.id)).toEqual(after);
  });
});
