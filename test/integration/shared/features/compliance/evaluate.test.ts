import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { dynamoCheckpointStore } from '../../../../../shared/features/checkpoints/store';
import { evaluateCompliance } from '../../../../../shared/features/compliance/use-cases';
import type { Plan } from '../../../../../shared/features/plans/model';
import { complianceFleetStore, planStore } from '../../../../../shared/features/plans/store';
import { complianceKey } from '../../../../../shared/features/plans/transact';
import { deletePlan, planLookup, showPlan } from '../../../../../shared/features/plans/use-cases';
import { createScheduledOperation, deleteScheduledOperation } from '../../../../../shared/features/scheduled-operations/use-cases';
import { dynamoScheduledOperationStore } from '../../../../../shared/features/scheduled-operations/store';
import { calendarRules } from '../../../../../shared/features/triggers/calendar';
import { dynamoTriggerStore } from '../../../../../shared/features/triggers/store';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { fixedClock, recordingPublisher } from '../../../../support/protection-fakes';
import { aTrigger } from '../../../../support/triggers';

const P = 'compliance-proj';
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const ME = { userId: 'alice', projectId: P, roles: [], isAdmin: false };
/** Hourly with a 15-minute window: a 4,500 s interval, late 9,000 s after the newest good checkpoint. */
const INTERVAL = 3600 + 900;

describe('plan compliance on DynamoDB Local (docs/decisions.md §20)', () => {
  let table: string;
  const { doc } = testClients();
  const plans = () => planStore(doc, table);
  const checkpoints = () => dynamoCheckpointStore(doc, table);
  const clock = fixedClock('2026-11-25T12:00:00.000Z');

  const aPlan = async (status: Plan['status'] = 'started'): Promise<Plan> => {
    const plan: Plan = {
      id: randomUUID(),
      projectId: P,
      name: 'p',
      description: null,
      providerId: NOOP,
      status,
      resources: [],
      parameters: {},
      createdAt: '2026-11-25T11:00:00.000000',
      updatedAt: '2026-11-25T11:00:00.000000',
      version: 1,
    };
    await plans().create(plan, -1);
    return plan;
  };
  /** Schedules the plan hourly, as the API's create does (the expectation written in its transaction). */
  const schedule = async (plan: Plan) => {
    const made = clock.now().toISOString();
    const trigger = aTrigger(P, {
      properties: { format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00', window: '900' },
      createdAt: made,
      scheduledFrom: made,
    });
    await dynamoTriggerStore(doc, table).create(trigger);
    const deps = {
      operations: dynamoScheduledOperationStore(doc, table),
      triggers: dynamoTriggerStore(doc, table),
      plans: planLookup(plans()),
      calendar: async () => calendarRules,
      clock,
      ids: { newId: randomUUID },
    };
    return createScheduledOperation(deps, ME, {
      name: 'hourly',
      operation_type: 'protect',
      trigger_id: trigger.id,
      operation_definition: { provider_id: NOOP, plan_id: plan.id },
    });
  };
  /** A checkpoint of the plan protected to `available` through the worker's final write, at the clock's now. */
  const goodCheckpoint = async (plan: Plan) => {
    const c = newCheckpoint({ ...plan, status: plan.status }, { created_by: 'operation-engine' }, randomUUID(), clock.now(), 3600);
    await checkpoints().create(c);
    const now = clock.now().toISOString();
    await checkpoints().jobs.claim(c.id, 'protecting', { token: 't', now, until: new Date(clock.now().getTime() + 120_000).toISOString() });
    await checkpoints().jobs.finish(c.id, 't', 'protecting', 'available', undefined, undefined, undefined, now);
    return c;
  };
  const evaluate = (events = recordingPublisher()) => {
    const counts: number[] = [];
    return evaluateCompliance({ fleet: complianceFleetStore(doc, table), events, latePlans: (n) => counts.push(n), clock, log: () => undefined }).then((r) => ({
      ...r,
      events: events.events,
      counts,
    }));
  };
  const shown = async (id: string) => (await showPlan({ plans: plans(), clock }, ME, id)).compliance;

  beforeAll(async () => {
    table = await createTestTable('compliance');
  });

  it('turns a plan whose schedule stops late after two intervals, once, and compliant after a good run', async () => {
    // Prepare: a started, hourly plan with a good checkpoint at 12:00
    const plan = await aPlan();
    await schedule(plan);
    const first = await goodCheckpoint(plan);
    // Act: the runs stop; the evaluator runs along the clock
    clock.advance(10 * 60);
    const onTime = await evaluate();
    const onTimeShown = await shown(plan.id);
    clock.advance(2 * INTERVAL - 10 * 60 + 1);
    const lateRun = await evaluate();
    const lateShown = await shown(plan.id);
    clock.advance(60);
    const again = await evaluate();
    clock.advance(60);
    await goodCheckpoint(plan);
    const recovered = await evaluate();
    const recoveredShown = await shown(plan.id);
    // Assess
    expect(onTimeShown).toEqual({
      status: 'compliant',
      lastGoodAt: '2026-11-25T12:00:00.000Z',
      expectedIntervalSeconds: INTERVAL,
      lateSince: null,
      lastVerifiedAt: null,
    });
    expect(onTime.events).toEqual([]);
    expect(lateShown).toEqual({
      status: 'late',
      lastGoodAt: '2026-11-25T12:00:00.000Z',
      expectedIntervalSeconds: INTERVAL,
      lateSince: '2026-11-25T14:30:00.000Z',
      lastVerifiedAt: null,
    });
    expect(lateRun.events).toEqual([
      {
        detailType: 'Plan Late',
        detail: {
          plan_id: plan.id,
          project_id: P,
          status: 'late',
          last_good_checkpoint_at: '2026-11-25T12:00:00.000000',
          expected_interval_seconds: INTERVAL,
          late_since: '2026-11-25T14:30:00.000000',
        },
      },
    ]);
    expect(lateRun.counts).toEqual([1]);
    expect(again.events).toEqual([]);
    expect(again.counts).toEqual([1]);
    expect(recovered.events.map((e) => [e.detailType, e.detail.plan_id, e.detail.status])).toEqual([['Plan Recovered', plan.id, 'compliant']]);
    expect(recovered.counts).toEqual([0]);
    expect(recoveredShown.status).toBe('compliant');
    expect(recoveredShown.lastGoodAt).not.toBe('2026-11-25T12:00:00.000Z');
    const item = (await doc.send(new GetCommand({ TableName: table, Key: complianceKey(plan.id), ConsistentRead: true }))).Item;
    expect(item).toMatchObject({ entity: 'planCompliance', lastGoodCheckpointId: expect.any(String) });
    expect(item?.lastGoodCheckpointId).not.toBe(first.id);
  });

  it('sends one event when two evaluators race over the same transition', async () => {
    // Prepare: a scheduled plan that never had a good checkpoint, its start two intervals back
    const plan = await aPlan();
    await schedule(plan);
    clock.advance(2 * INTERVAL + 1);
    // Act
    const [a, b] = await Promise.all([evaluate(), evaluate()]);
    // Assess
    const sent = [...a.events, ...b.events].filter((e) => e.detail.plan_id === plan.id);
    expect(sent.map((e) => e.detailType)).toEqual(['Plan Late']);
    expect((await shown(plan.id)).status).toBe('late');
  });

  it('never judges a suspended plan late, and forgets an operation’s expectation when it is deleted; a plan delete removes the item', async () => {
    // Prepare
    const plan = await aPlan('suspended');
    const op = await schedule(plan);
    await goodCheckpoint(plan);
    clock.advance(3 * INTERVAL);
    // Act
    const suspended = await shown(plan.id);
    await deleteScheduledOperation({ operations: dynamoScheduledOperationStore(doc, table) }, ME, op.id);
    const unscheduled = await shown(plan.id);
    await deletePlan({ plans: plans(), clock }, ME, plan.id);
    const item = (await doc.send(new GetCommand({ TableName: table, Key: complianceKey(plan.id), ConsistentRead: true }))).Item;
    // Assess
    expect(suspended).toMatchObject({ status: 'compliant', expectedIntervalSeconds: INTERVAL });
    expect(unscheduled).toMatchObject({ status: 'compliant', expectedIntervalSeconds: null });
    expect(item).toBeUndefined();
  });
});
