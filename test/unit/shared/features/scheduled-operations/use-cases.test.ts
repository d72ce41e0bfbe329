import type { Identity } from '../../../../../shared/kernel/identity';
import type { PlanSummary } from '../../../../../shared/features/plans/model';
import { createScheduledOperation, findScheduledOperation } from '../../../../../shared/features/scheduled-operations/use-cases';
import type { ScheduledOperation, ScheduledOperationDeps } from '../../../../../shared/features/scheduled-operations/model';
import type { Trigger } from '../../../../../shared/features/triggers/model';
import { calendarRules } from '../../../../../shared/features/triggers/calendar';

const T = '11111111-1111-1111-1111-111111111111';
const PLAN = '22222222-2222-2222-2222-222222222222';
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const ME: Identity = { userId: 'alice', projectId: 'p', roles: [], isAdmin: false };

const fakes = () => {
  const created: ScheduledOperation[] = [];
  const expected: unknown[] = [];
  const trigger: Trigger = { id: T, projectId: 'p', name: 't', type: 'time', properties: {}, createdAt: '', scheduledFrom: '', operationCount: 0 };
  const plan = { id: PLAN, projectId: 'p', providerId: NOOP } as PlanSummary;
  const deps: ScheduledOperationDeps = {
    operations: {
      create: async (op, expectation) => {
        created.push(op);
        expected.push(expectation);
      },
      get: async (id) => created.find((o) => o.id === id),
      delete: async () => undefined,
      list: async () => created,
      listByTrigger: async () => created,
      recordRun: async () => undefined,
    },
    triggers: { get: async (id) => (id === T ? trigger : undefined) },
    plans: { getPlan: async (_p, id) => (id === PLAN ? plan : undefined) },
    calendar: async () => calendarRules,
    clock: { now: () => new Date('2026-11-25T12:00:00Z') },
    ids: { newId: () => '33333333-3333-3333-3333-333333333333' },
  };
  return { deps, created, expected, trigger };
};

const input = (extra: Record<string, unknown> = {}) => ({
  name: 'n',
  operation_type: 'retention_protect',
  trigger_id: T,
  operation_definition: { provider_id: NOOP, plan_id: PLAN, max_backups: 3, keep: true },
  ...extra,
});

describe('createScheduledOperation', () => {
  it('hands the store what the trigger leads the plan to expect (docs/decisions.md §20); nothing once the trigger has ended', async () => {
    // Prepare
    const { deps, expected, trigger } = fakes();
    trigger.properties = { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', window: '1800' };
    trigger.scheduledFrom = '2026-11-01T00:00:00Z';
    // Act
    const op = await createScheduledOperation(deps, ME, input());
    trigger.properties = { ...trigger.properties, end_time: '2026-11-20 00:00:00' };
    await createScheduledOperation(deps, ME, input());
    // Assess
    expect(expected).toEqual([{ operationId: op.id, triggerId: T, intervalSeconds: 86400 + 1800, since: '2026-11-25T12:00:00.000Z', until: null }, undefined]);
  });

  it('stores the operation with a string definition, for the caller', async () => {
    // Prepare
    const { deps, created } = fakes();
    // Act
    const op = await createScheduledOperation(deps, ME, input());
    // Assess
    expect(op).toMatchObject({ projectId: 'p', userId: 'alice', enabled: true, description: null, createdAt: '2026-11-25T12:00:00.000Z' });
    expect(op.operationDefinition).toEqual({ provider_id: NOOP, plan_id: PLAN, max_backups: '3', keep: 'True' });
    expect(created).toEqual([op]);
  });

  it.each([
    [{ name: undefined }, 'Operation name or type or definition is not provided.'],
    [{ trigger_id: 'x' }, 'Invalid trigger id provided.'],
    [{ trigger_id: '9b1d0f4e-7a3c-4d2e-9f55-000000000001' }, 'Trigger 9b1d0f4e-7a3c-4d2e-9f55-000000000001 could not be found.'],
    [{ operation_type: 'copy' }, 'Invalid operation type: copy'],
    [{ operation_definition: { provider_id: 'x', plan_id: PLAN } }, 'Invalid operation definition, reason:Provider_id is invalid'],
    [
      { operation_definition: { provider_id: NOOP, plan_id: '9b1d0f4e-7a3c-4d2e-9f55-000000000001' } },
      'Plan 9b1d0f4e-7a3c-4d2e-9f55-000000000001 could not be found.',
    ],
    [
      { operation_definition: { provider_id: '9b1d0f4e-7a3c-4d2e-9f55-000000000002', plan_id: PLAN } },
      'Invalid operation definition, reason:Provider_id is conflict',
    ],
  ])('refuses %j', async (change, message) => {
    const { deps, created } = fakes();
    await expect(createScheduledOperation(deps, ME, input(change) as never)).rejects.toThrow(message);
    expect(created).toEqual([]);
  });

  it('creates a verify operation (a drill, docs/decisions.md §24) whose expectation is met by drills, and refuses a depth it does not know', async () => {
    // Prepare
    const { deps, expected, trigger } = fakes();
    trigger.properties = { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', window: '1800' };
    const drill = { operation_type: 'verify', operation_definition: { provider_id: NOOP, plan_id: PLAN, depth: 'full' } };
    // Act
    const op = await createScheduledOperation(deps, ME, input(drill));
    const refused = createScheduledOperation(deps, ME, input({ ...drill, operation_definition: { provider_id: NOOP, plan_id: PLAN, depth: 'deep' } }));
    // Assess
    expect(op).toMatchObject({ operationType: 'verify', operationDefinition: { provider_id: NOOP, plan_id: PLAN, depth: 'full' } });
    expect(expected[0]).toMatchObject({ operationId: op.id, kind: 'verify', intervalSeconds: 86400 + 1800 });
    await expect(refused).rejects.toThrow('Invalid operation definition, reason:Depth must be one of basic, full');
  });

  it('keeps a drill size cap given in whole bytes and refuses any other max_bytes', async () => {
    // Prepare
    const { deps } = fakes();
    const drill = (max_bytes: string) =>
      input({ operation_type: 'verify', operation_definition: { provider_id: NOOP, plan_id: PLAN, depth: 'full', max_bytes } });
    // Act
    const kept = await createScheduledOperation(deps, ME, drill('1073741824'));
    const refused = await Promise.allSettled(['0', '-1', '1.5', 'lots'].map((cap) => createScheduledOperation(deps, ME, drill(cap))));
    // Assess
    expect(kept.operationDefinition).toMatchObject({ depth: 'full', max_bytes: '1073741824' });
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      expect(String((r as PromiseRejectedResult).reason)).toContain('Invalid operation definition, reason:max_bytes must be a whole number of bytes from 1');
    }
  });

  it("refuses another project's trigger with 400 even for an admin", async () => {
    const { deps, trigger } = fakes();
    trigger.projectId = 'other';
    await expect(createScheduledOperation(deps, { ...ME, isAdmin: true }, input())).rejects.toThrow('Invalid trigger id provided.');
  });
});

describe('findScheduledOperation', () => {
  it("gives a member 403 for another project's operation and an admin the operation", async () => {
    const { deps } = fakes();
    const op = await createScheduledOperation(deps, ME, input());
    const bob: Identity = { userId: 'bob', projectId: 'q', roles: [], isAdmin: false };
    await expect(findScheduledOperation(deps, bob, op.id, 'scheduled_operation:get')).rejects.toThrow(
      "Policy doesn't allow scheduled_operation:get to be performed.",
    );
    await expect(findScheduledOperation(deps, { ...bob, isAdmin: true }, op.id, 'scheduled_operation:get')).resolves.toBe(op);
  });
});
