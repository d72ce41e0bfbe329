import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError, NotFoundError } from '../../../../../shared/kernel/errors';
import type { ScheduledOperation } from '../../../../../shared/features/scheduled-operations/model';
import { dynamoScheduledOperationStore, operationIndexKeys } from '../../../../../shared/features/scheduled-operations/store';
import { dynamoTriggerStore } from '../../../../../shared/features/triggers/store';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { aTrigger, anOperation, putLivePlan } from '../../../../support/triggers';

/**
 * Scheduled operations on one index entry (docs/decisions.md §17): a
 * project's list pages from its range, all_tenants is sorted in memory; both
 * keep Karbor's order (created_at, then id, in the list's direction) and markers.
 */
describe('scheduled-operation lists on one index entry (DynamoDB Local)', () => {
  const { doc } = testClients();
  let table: string;
  const store = () => dynamoScheduledOperationStore(doc, table);
  const made: ScheduledOperation[] = [];
  const key = (o: ScheduledOperation) => `${o.createdAt}#${o.id}`;
  /** Every page of a list, following markers. */
  const readAll = async (projectId: string | undefined, ascending: boolean, sortKey?: string) => {
    const ids: string[] = [];
    for (let marker: string | undefined; ; ) {
      const page = await store().list({ projectId, limit: 2, marker, ascending, sortKey });
      ids.push(...page.map((o) => o.id));
      if (page.length < 2) return ids;
      marker = page[page.length - 1].id;
    }
  };

  beforeAll(async () => {
    table = await createTestTable('oplist');
    // Two projects whose operations interleave in time; two share a created_at.
    for (const [i, project] of ['pa', 'pb', 'pa', 'pb', 'pa', 'pb'].entries()) {
      const trigger = aTrigger(project);
      await dynamoTriggerStore(doc, table).create(trigger);
      const plan = await putLivePlan(doc, table, project);
      const op = anOperation(project, trigger.id, plan, { name: `op ${5 - i}`, createdAt: `2026-01-01T00:00:0${i === 1 ? 0 : i}.000000` });
      await store().create(op);
      made.push(op);
    }
  });

  it.each([true, false])('pages a project and all tenants in created_at order, then id (ascending %s)', async (ascending) => {
    const order = (ops: ScheduledOperation[]) => [...ops].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((o) => o.id);
    const expected = (ops: ScheduledOperation[]) => (ascending ? order(ops) : order(ops).reverse());
    expect(await readAll('pa', ascending)).toEqual(expected(made.filter((o) => o.projectId === 'pa')));
    expect(await readAll(undefined, ascending)).toEqual(expected(made));
  });

  it('sorts by name across all tenants and refuses a marker of another project', async () => {
    expect(await readAll(undefined, true, 'name')).toEqual([...made].sort((a, b) => (a.name < b.name ? -1 : 1)).map((o) => o.id));
    const other = made.find((o) => o.projectId === 'pb')!;
    await expect(store().list({ projectId: 'pa', limit: 2, marker: other.id, ascending: false })).rejects.toThrow(NotFoundError);
  });

  it('answers all_tenants beyond 1000 operations with a 400 that names what still works', async () => {
    // Prepare: 1000 more operation items (only what the list reads)
    const extra = Array.from({ length: 1000 }, (_, i) => anOperation('pc', 'none', 'none', { createdAt: `2026-02-01T00:00:00.${String(i).padStart(6, '0')}` }));
    for (let at = 0; at < extra.length; at += 25) {
      const items = extra.slice(at, at + 25).map((o) => ({
        PutRequest: { Item: { PK: `OPERATION#${o.id}`, SK: 'OPERATION', ...operationIndexKeys(o), entity: 'scheduledOperation', schemaVersion: 2, ...o } },
      }));
      await doc.send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
    }
    // Act + Assess
    await expect(store().list({ limit: 10, ascending: false })).rejects.toThrow(InvalidInputError);
    expect((await store().list({ projectId: 'pa', limit: 10, ascending: false })).length).toBe(3);
  }, 60000);
});
