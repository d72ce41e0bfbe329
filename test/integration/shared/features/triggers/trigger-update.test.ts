import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../../../../shared/kernel/errors';
import { dynamoTriggerStore } from '../../../../../shared/features/triggers/store';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { aTrigger } from '../../../../support/triggers';

describe('trigger store update (DynamoDB Local)', () => {
  const { client, doc } = testClients();
  let store: ReturnType<typeof dynamoTriggerStore>;

  beforeAll(async () => {
    store = dynamoTriggerStore(doc, await createTestTable('trigger-update'));
  });
  afterAll(() => client.destroy());

  it('changes properties only while they are still the ones read', async () => {
    // Prepare
    const t = aTrigger('p1');
    await store.create(t);
    const props = { ...t.properties, pattern: '0 4 * * *' };
    // Act
    const first = await store.update(t.id, { properties: props, scheduledFrom: 'a' }, t.scheduledFrom);
    const stale = store.update(t.id, { properties: { ...props, pattern: '0 5 * * *' }, scheduledFrom: 'b' }, t.scheduledFrom);
    // Assess
    expect(first.scheduledFrom).toBe('a');
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get(t.id))?.properties.pattern).toBe('0 4 * * *');
  });

  it('lets exactly one of two concurrent property changes win', async () => {
    const t = aTrigger('p1');
    await store.create(t);
    const results = await Promise.allSettled(
      ['0 1 * * *', '0 2 * * *'].map((pattern, i) => store.update(t.id, { properties: { ...t.properties, pattern }, scheduledFrom: `w${i}` }, t.scheduledFrom)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(1);
  });

  it('still renames without a condition on the properties, and 404s an unknown trigger', async () => {
    const t = aTrigger('p1');
    await store.create(t);
    expect((await store.update(t.id, { name: 'renamed' })).name).toBe('renamed');
    await expect(store.update(randomUUID(), { name: 'x' }, 'whatever')).rejects.toBeInstanceOf(NotFoundError);
  });
});
