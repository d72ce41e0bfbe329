import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type BindingOwner, bindingKey } from '../../../../../shared/features/scheduled-operations/transact';
import { planKey } from '../../../../../shared/features/plans/transact';
import { triggerKey } from '../../../../../shared/features/triggers/transact';
import { DependencyError, NotFoundError } from '../../../../../shared/kernel/errors';
import type { ScheduledOperation } from '../../../../../shared/features/scheduled-operations/model';
import type { Trigger } from '../../../../../shared/features/triggers/model';
import { migrateOperationIndex } from '../../../../../shared/features/scheduled-operations/migrate';
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
  /** An operation as the earlier store wrote it (schemaVersion 1): three index entries, the trigger's count, the plan's set. */
  const putLegacyOperation = async (triggerId: string): Promise<ScheduledOperation> => {
    const op = operation(triggerId);
    const time = `${op.createdAt}#${op.id}`;
    const { lastRun, ...fields } = op;
    void lastRun;
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          PK: `OPERATION#${op.id}`,
          SK: 'OPERATION',
          GSI1PK: `OPERATIONS#PROJECT#${P}`,
          GSI1SK: time,
          GSI2PK: 'OPERATIONS',
          GSI2SK: time,
          GSI3PK: `OPERATIONS#TRIGGER#${triggerId}`,
          GSI3SK: op.id,
          entity: 'scheduledOperation',
          schemaVersion: 1,
          ...fields,
        },
      }),
    );
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: triggerKey(triggerId),
        UpdateExpression: 'ADD operationCount :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: planKey(planId),
        UpdateExpression: 'ADD scheduledOperationIds :op',
        ExpressionAttributeValues: { ':op': new Set([op.id]) },
      }),
    );
    return op;
  };
  /** The operation ids on a trigger's or plan's binding item. */
  const boundTo = async (owner: BindingOwner, id: string) => {
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: bindingKey(owner, id), ConsistentRead: true }));
    return [...((Item?.operationIds as Set<string> | undefined) ?? [])].sort();
  };

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
    expect(await boundTo('TRIGGER', t.id)).toEqual([op.id]);
    expect(await boundTo('PLAN', planId)).toContain(op.id);
    await operations().delete(op);
    expect(await boundTo('TRIGGER', t.id)).toEqual([]);
    expect(await boundTo('PLAN', planId)).not.toContain(op.id);
    await expect(triggers().delete(t.id)).resolves.toBeUndefined();
    await expect(triggers().delete(t.id)).rejects.toThrow(NotFoundError);
    // The trigger's binding went with it.
    expect((await doc.send(new GetCommand({ TableName: table, Key: bindingKey('TRIGGER', t.id) }))).Item).toBeUndefined();
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
        expect(await boundTo('TRIGGER', t.id)).toEqual(bound.map((o) => o.id).sort());
        expect(bound.length).toBeGreaterThan(0);
      } else {
        expect(bound).toEqual([]);
      }
      const deletes = results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'delete' && r.value.t === t);
      expect(deletes.length).toBe(stored ? 0 : 1);
    }
  }, 120000);

  it('reads, fires, guards and deletes an operation written before the binding items (schemaVersion 1)', async () => {
    // Prepare
    const t = trigger();
    await triggers().create(t);
    const op = await putLegacyOperation(t.id);
    // Act + Assess: fire-trigger finds it, the trigger stays in use, its delete releases the old bindings
    expect((await operations().listByTrigger(t.id)).map((o) => o.id)).toEqual([op.id]);
    await expect(triggers().delete(t.id)).rejects.toThrow(DependencyError);
    await operations().delete(op);
    expect(await operations().get(op.id)).toBeUndefined();
    expect((await triggers().get(t.id))?.operationCount).toBe(0);
    expect((await doc.send(new GetCommand({ TableName: table, Key: planKey(planId) }))).Item?.scheduledOperationIds).toBeUndefined();
    await expect(operations().delete(op)).rejects.toThrow(NotFoundError);
    await expect(triggers().delete(t.id)).resolves.toBeUndefined();
  });

  it('migrates operations of schemaVersion 1 to one index entry and binding items, once', async () => {
    // Prepare
    const t = trigger();
    await triggers().create(t);
    const op = await putLegacyOperation(t.id);
    const listed = async () => (await operations().list({ projectId: P, limit: 1000, ascending: false })).map((o) => o.id);
    expect(await listed()).not.toContain(op.id);
    // Act
    const first = await migrateOperationIndex(doc, table);
    const second = await migrateOperationIndex(doc, table);
    // Assess
    expect(first.migrated).toBeGreaterThanOrEqual(1);
    expect(second.migrated).toBe(0);
    expect(await listed()).toContain(op.id);
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { PK: `OPERATION#${op.id}`, SK: 'OPERATION' } }));
    expect(
      Object.keys(Item!)
        .filter((k) => k.startsWith('GSI'))
        .sort(),
    ).toEqual(['GSI1PK', 'GSI1SK']);
    expect(await boundTo('TRIGGER', t.id)).toEqual([op.id]);
    expect(await boundTo('PLAN', planId)).toContain(op.id);
    expect((await triggers().get(t.id))?.operationCount).toBe(0);
    expect((await operations().listByTrigger(t.id)).map((o) => o.id)).toEqual([op.id]);
    await expect(triggers().delete(t.id)).rejects.toThrow(DependencyError);
    await operations().delete((await operations().get(op.id))!);
    await expect(triggers().delete(t.id)).resolves.toBeUndefined();
  });
});
