import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { QuotaStore } from '../../../../../shared/features/quotas/model';
import { quotaUsageKey, quotaUsageUpdate } from '../../../../../shared/features/quotas/transact';
import { dynamoQuotaStore, projectQuotaKey, quotaClassKey } from '../../../../../shared/features/quotas/store';
import { createTestTable, testClients } from '../../../../support/dynamo';

describe('quota store on DynamoDB Local', () => {
  let table: string;
  let store: QuotaStore;
  const { doc } = testClients();
  const raw = async (key: { PK: string; SK: string }) => (await doc.send(new GetCommand({ TableName: table, Key: key }))).Item;
  const count = (project: string, resource: 'plans' | 'checkpoints', delta: number) =>
    doc.send(new TransactWriteCommand({ TransactItems: [quotaUsageUpdate(table, project, resource, delta)] }));

  beforeAll(async () => {
    table = await createTestTable('quotas');
    store = dynamoQuotaStore(doc, table);
  });

  it('reads nothing for a project or class that was never set', async () => {
    // Act
    const limits = await store.projectLimits(`p-${randomUUID()}`);
    const cls = await store.classLimits('never-set');
    const usage = await store.usage('never-used');
    // Assess
    expect(limits).toEqual({ own: {}, defaults: {} });
    expect(cls).toEqual({ own: {}, defaults: {} });
    expect(usage).toEqual({});
  });

  it('upserts only the given resources of a project, with the item’s identity', async () => {
    // Prepare
    await store.setProjectLimits('any project:名', { checkpoints: 9 });
    // Act
    await store.setProjectLimits('any project:名', { plans: 3 });
    // Assess
    expect((await store.projectLimits('any project:名')).own).toEqual({ plans: 3, checkpoints: 9 });
    expect(await raw(projectQuotaKey('any project:名'))).toMatchObject({
      entity: 'quota',
      schemaVersion: 1,
      project_id: 'any project:名',
      plans: 3,
      checkpoints: 9,
    });
  });

  it('reads the default class beside a project’s and another class’s own values', async () => {
    // Prepare
    await store.setClassLimits('default', { plans: 12 });
    await store.setClassLimits('gold', { checkpoints: 5 });
    await store.setProjectLimits('p-defaults', { checkpoints: 1 });
    // Act
    const project = await store.projectLimits('p-defaults');
    const gold = await store.classLimits('gold');
    const defaults = await store.classLimits('default');
    // Assess
    expect(project).toEqual({ own: { checkpoints: 1 }, defaults: { plans: 12 } });
    expect(gold).toEqual({ own: { checkpoints: 5 }, defaults: { plans: 12 } });
    expect(defaults).toEqual({ own: { plans: 12 }, defaults: { plans: 12 } });
    expect(await raw(quotaClassKey('gold'))).toMatchObject({ entity: 'quota-class', schemaVersion: 1, class_name: 'gold', checkpoints: 5 });
  });

  it('reads the usage counters the create and delete transactions keep', async () => {
    // Prepare
    await count('p-usage', 'plans', 1);
    await count('p-usage', 'plans', 1);
    await count('p-usage', 'checkpoints', 1);
    await count('p-usage', 'checkpoints', -1);
    // Act
    const usage = await store.usage('p-usage');
    // Assess
    expect(usage).toEqual({ plans: 2, checkpoints: 0 });
  });

  it('removes a project’s overrides but keeps its usage counters', async () => {
    // Prepare
    await store.setProjectLimits('p-remove', { plans: 1, checkpoints: 1 });
    await count('p-remove', 'plans', 1);
    // Act
    await store.removeProjectLimits('p-remove');
    // Assess
    expect(await raw(projectQuotaKey('p-remove'))).toBeUndefined();
    expect(await raw(quotaUsageKey('p-remove', 'plans'))).toMatchObject({ in_use: 1 });
    expect(await store.usage('p-remove')).toEqual({ plans: 1 });
  });
});
