import type { Identity } from '../../../../../shared/kernel/identity';
import { listOperationLogs } from '../../../../../shared/features/operation-logs/use-cases';
import type { OperationLog } from '../../../../../shared/features/operation-logs/model';
import { parseListOptions } from '../../../../../shared/kernel/list-options';
import { operationLogListRules } from '../../../../../shared/features/operation-logs/model';
import { operationLogStore } from '../../../../../shared/features/operation-logs/store';
import { createTestTable, testClients } from '../../../../support/dynamo';

const P = 'logproj';
const ADMIN: Identity = { userId: 'admin', projectId: P, roles: ['admin'], isAdmin: true };
const MEMBER: Identity = { userId: 'bob', projectId: P, roles: [], isAdmin: false };

const log = (i: number, extra: Partial<OperationLog> = {}): OperationLog => ({
  id: `00000000-0000-0000-0000-00000000000${i}`,
  projectId: P,
  operationType: 'protect',
  checkpointId: null,
  planId: i % 2 === 0 ? 'plan-even' : 'plan-odd',
  providerId: null,
  restoreId: null,
  scheduledOperationId: null,
  status: 'success',
  startedAt: `2026-11-25T12:00:0${i}.000Z`,
  endedAt: null,
  errorInfo: null,
  extraInfo: null,
  ...extra,
});

describe('operation logs on DynamoDB Local', () => {
  const { doc } = testClients();
  let store: ReturnType<typeof operationLogStore>;
  const list = (query: Record<string, string>, who = MEMBER) =>
    listOperationLogs({ logs: store }, who, parseListOptions(query, operationLogListRules, who.isAdmin)).then((l) => l.map((x) => x.id.slice(-1)));

  beforeAll(async () => {
    store = operationLogStore(doc, await createTestTable('oplogs'));
    for (let i = 1; i <= 6; i += 1) await store.put(log(i));
    await store.put({ ...log(7), projectId: 'elsewhere' });
  });

  it('lists newest first with limit, marker and offset', async () => {
    expect(await list({})).toEqual(['6', '5', '4', '3', '2', '1']);
    expect(await list({ limit: '2' })).toEqual(['6', '5']);
    expect(await list({ limit: '2', marker: log(5).id })).toEqual(['4', '3']);
    expect(await list({ limit: '2', offset: '1', marker: log(5).id })).toEqual(['3', '2']);
    expect(await list({ sort: 'created_at:asc', limit: '3' })).toEqual(['1', '2', '3']);
    await expect(list({ marker: log(7).id })).rejects.toThrow(`Operation log ${log(7).id} could not be found.`);
  });

  it('filters exactly (comma = any-of); members may not use admin filters; admins see all tenants', async () => {
    expect(await list({ plan_id: 'plan-even' })).toEqual(['6', '4', '2']);
    expect(await list({ plan_id: 'plan-even', limit: '2' })).toEqual(['6', '4']);
    expect(await list({ plan_id: 'plan-even,plan-odd', limit: '3' })).toEqual(['6', '5', '4']);
    expect(await list({ operation_type: 'restore' })).toHaveLength(6);
    expect(await list({ operation_type: 'restore' }, ADMIN)).toEqual([]);
    expect(await list({ all_tenants: 'true' }, ADMIN)).toEqual(['7', '6', '5', '4', '3', '2', '1']);
  });

  it('updates a log to its final status and refuses to create one by update', async () => {
    const updated = await store.update(log(1).id, { status: 'failed', endedAt: '2026-11-25T12:01:00.000Z', errorInfo: 'boom' });
    expect(updated).toMatchObject({ status: 'failed', errorInfo: 'boom', planId: 'plan-odd' });
    await expect(store.update('00000000-0000-0000-0000-000000000009', { status: 'x' })).rejects.toThrow('could not be found');
  });
});
