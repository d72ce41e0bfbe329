import { NotFoundError } from '../../../../shared/kernel/errors';
import { operationLogStore } from '../../../../shared/features/operation-logs/store';
import { dynamoScheduledOperationStore } from '../../../../shared/features/scheduled-operations/store';
import { dynamoTriggerStore } from '../../../../shared/features/triggers/store';
import { createTestTable, testClients } from '../../../support/dynamo';
import { aTrigger } from '../../../support/triggers';

const P = 'listproj';
/** Longer than a DynamoDB key may be (2048 bytes). */
const HUGE = 'x'.repeat(3000);

describe('project lists (triggers, scheduled operations, operation logs) on DynamoDB Local', () => {
  const { doc } = testClients();
  let table: string;

  beforeAll(async () => {
    table = await createTestTable('listing');
  });

  it.each([
    ['triggers', 'Trigger'],
    ['scheduled operations', 'Scheduled Operation'],
    ['operation logs', 'Operation log'],
  ])('answers a %s marker that is no id with NotFoundError, even one too long for a key', async (kind, name) => {
    // Prepare
    const list = {
      triggers: (marker: string) => dynamoTriggerStore(doc, table).list({ projectId: P, limit: 10, marker, ascending: false }),
      'scheduled operations': (marker: string) => dynamoScheduledOperationStore(doc, table).list({ projectId: P, limit: 10, marker, ascending: false }),
      'operation logs': (marker: string) => operationLogStore(doc, table).list({ projectId: P, limit: 10, offset: 0, marker, ascending: false }),
    }[kind]!;
    // Act + Assess
    for (const marker of [HUGE, 'not-an-id']) {
      const error = await list(marker).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as Error).message).toBe(`${name} ${marker} could not be found.`);
    }
  });

  it('still resumes after a marker that names an item of the project', async () => {
    // Prepare
    const store = dynamoTriggerStore(doc, table);
    const [older, newer] = [aTrigger(P, { createdAt: '2026-11-01T00:00:00.000Z' }), aTrigger(P, { createdAt: '2026-11-02T00:00:00.000Z' })];
    await store.create(older);
    await store.create(newer);
    // Act
    const page = await store.list({ projectId: P, limit: 10, marker: newer.id, ascending: false });
    // Assess
    expect(page.map((t) => t.id)).toEqual([older.id]);
  });
});
