import type { Restore } from '../../../../../shared/features/restores/model';
import { dynamoRestoreStore } from '../../../../../shared/features/restores/store';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { ConditionLostError } from '../../../../../shared/kernel/errors';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const restore = (n: number, projectId: string, status: Restore['status']): Restore => ({
  id: id(n),
  projectId,
  providerId: 'b766f37c-d011-4026-8228-28730d734a3f',
  checkpointId: id(900),
  restoreTarget: null,
  parameters: {},
  status,
  createdAt: `2026-11-25T10:00:${String(n).padStart(2, '0')}.000Z`,
  deadline: '2026-11-25T16:00:00.000Z',
  attempts: 0,
  resourcesStatus: {},
  resourcesReason: {},
});

describe('restore store (DynamoDB Local)', () => {
  let table: string;
  const { doc } = testClients();
  const store = () => dynamoRestoreStore(doc, table);

  beforeAll(async () => {
    table = await createTestTable('restores');
    for (let n = 1; n <= 30; n += 1) await store().create(restore(n, n % 10 === 0 ? 'p2' : 'p1', n % 3 === 0 ? 'fail' : 'success'));
  });
  const nums = (rs: Restore[]) => rs.map((r) => Number(r.id.slice(-3)));

  it('lists a project newest first with a limit, and after a marker', async () => {
    // Act
    const first = await store().list({ projectId: 'p1', filters: {}, dir: 'desc', limit: 3 });
    const next = await store().list({ projectId: 'p1', filters: {}, dir: 'desc', limit: 3, after: first[2] });
    // Assess
    expect(nums(first)).toEqual([29, 28, 27]);
    expect(nums(next)).toEqual([26, 25, 24]);
  });

  it('fills a filtered page across query pages', async () => {
    // Act
    const failed = await store().list({ projectId: 'p1', filters: { status: ['fail'] }, dir: 'asc', limit: 4 });
    // Assess
    expect(nums(failed)).toEqual([3, 6, 9, 12]);
  });

  it('lists every project for all_tenants', async () => {
    // Act
    const all = await store().list({ filters: { project_id: ['p2'] }, dir: 'desc', limit: 10 });
    // Assess
    expect(nums(all)).toEqual([30, 20, 10]);
  });

  it('fails only an in_progress restore', async () => {
    // Prepare
    await store().create(restore(40, 'p1', 'in_progress'));
    // Act
    await store().fail(id(40), 'bus down');
    const finished = await store()
      .fail(id(1), 'should not change')
      .then(
        () => 'written',
        (error: unknown) => (error instanceof ConditionLostError ? 'condition lost' : Promise.reject(error)),
      );
    // Assess
    expect(await store().get(id(40))).toMatchObject({ status: 'fail', errorReason: 'bus down' });
    expect(finished).toBe('condition lost');
    expect((await store().get(id(1)))!.status).toBe('success');
  });
});
