import { DependencyError, NotFoundError } from '../../../../../shared/kernel/errors';
import type { ScheduledOperation } from '../../../../../shared/features/scheduled-operations/model';
import type { Trigger } from '../../../../../shared/features/triggers/model';
import { dynamoScheduledOperationStore } from '../../../../../shared/features/scheduled-operations/store';
import { dynamoTriggerStore } from '../../../../../shared/features/triggers/store';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { aTrigger, anOperation, putLivePlan } from '../../../../support/triggers';

const P = 'raceproj';

describe('trigger in-use binding on DynamoDB Local', () => {
  let table: string;
  const { doc } = testClients();
  const triggers = () => dynamoTriggerStore(doc, table);
  const operations = () => dynamoScheduledOperationStore(doc, table);
  let planId: string;

  const trigger = (): Trigger => aTrigger(P);
  const operation = (triggerId: string): ScheduledOperation => anOperation(P, triggerId, planId);

  beforeAll(async () => {
    table = await createTestTable('binding');
    planId = await putLivePlan(doc, table, P);
  });

  it('refuses to delete a trigger in use (424) and allows it once the operation is gone', async () => {
    // Prepare
    const t = trigger();
    await triggers().create(t);
    const op = operation(t.id);
    await operations().create(op);
    // Act + Assess
    await expect(triggers().delete(t.id)).rejects.toThrow(DependencyError);
    expect((await triggers().get(t.id))?.operationCount).toBe(1);
    await operations().delete(op);
    expect((await triggers().get(t.id))?.operationCount).toBe(0);
    await expect(triggers().delete(t.id)).resolves.toMatchObject({ id: t.id });
    await expect(triggers().delete(t.id)).rejects.toThrow(NotFoundError);
  });

  it('never binds an operation to a deleted trigger', async () => {
    const t = trigger();
    await triggers().create(t);
    await triggers().delete(t.id);
    await expect(operations().create(operation(t.id))).rejects.toThrow(`Trigger ${t.id} could not be found.`);
    expect(await operations().listByTrigger(t.id)).toEqual([]);
  });

  it('keeps the rule under 50 concurrent deletes and creates per trigger: no orphaned operation, no deleted trigger still referenced', async () => {
    // Prepare
    const ts = Array.from({ length: 4 }, trigger);
    await Promise.all(ts.map((t) => triggers().create(t)));
    // Act: per trigger, 25 creates and 25 deletes at once, shuffled.
    const attempts = ts.flatMap((t) => [
      ...Array.from({ length: 25 }, () => async () => ({ kind: 'create' as const, t, op: await operations().create(operation(t.id)) })),
      ...Array.from({ length: 25 }, () => async () => ({ kind: 'delete' as const, t, op: await triggers().delete(t.id) })),
    ]);
    attempts.sort(() => Math.random() - 0.5);
    const results = await Promise.allSettled(attempts.map((a) => a()));
    // Assess
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason instanceof DependencyError || r.reason instanceof NotFoundError).toBe(true);
    }
    for (const t of ts) {
      const stored = await triggers().get(t.id);
      const bound = await operations().listByTrigger(t.id);
      if (stored) {
        expect(stored.operationCount).toBe(bound.length);
        expect(bound.length).toBeGreaterThan(0);
      } else {
        expect(bound).toEqual([]);
      }
      const deletes = results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'delete' && r.value.t === t);
      expect(deletes.length).toBe(stored ? 0 : 1);
    }
  }, 120000);
});
