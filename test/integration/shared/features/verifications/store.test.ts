import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Verification } from '../../../../../shared/features/verifications/model';
import { dynamoVerificationStore } from '../../../../../shared/features/verifications/store';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { ConditionLostError } from '../../../../../shared/kernel/errors';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const verification = (n: number, status: Verification['status']): Verification => ({
  id: id(n),
  projectId: 'p1',
  providerId: 'b766f37c-d011-4026-8228-28730d734a3f',
  checkpointId: id(900),
  parameters: {},
  status,
  createdAt: `2026-11-25T10:00:${String(n).padStart(2, '0')}.000Z`,
  deadline: '2026-11-25T16:00:00.000Z',
  attempts: 0,
  resourcesStatus: {},
  resourcesReason: {},
});

describe('verification store (DynamoDB Local)', () => {
  let table: string;
  const { doc } = testClients();
  const store = () => dynamoVerificationStore(doc, table);
  const raw = async (n: number) => (await doc.send(new GetCommand({ TableName: table, Key: { PK: `VERIFICATION#${id(n)}`, SK: 'VERIFICATION' } }))).Item!;

  beforeAll(async () => {
    table = await createTestTable('verifications');
  });

  it('puts a running verification on the index of running jobs, and runs it as a job to its final status', async () => {
    // Prepare
    await store().create(verification(1, 'in_progress'));
    const whileRunning = await raw(1);
    // Act
    const claim = await store().jobs.claim(id(1), 'in_progress', { token: 't1', now: '2026-11-25T10:01:00.000Z', until: '2026-11-25T10:03:00.000Z' });
    await store().jobs.setResource(id(1), 't1', 'AWS::DynamoDB::Table#orders', 'success', 'checked');
    // Progress is on the job item while it runs: show and list read it from there.
    const shown = await store().get(id(1));
    const listed = await store().list({ projectId: 'p1', dir: 'desc', limit: 10, filters: {} });
    await store().jobs.finish(id(1), 't1', 'in_progress', 'success');
    // Assess
    expect(shown?.resourcesStatus).toEqual({ 'AWS::DynamoDB::Table#orders': 'success' });
    expect(listed.find((v) => v.id === id(1))?.resourcesStatus).toEqual({ 'AWS::DynamoDB::Table#orders': 'success' });
    expect(whileRunning.GSI4PK).toMatch(/^JOBS_ACTIVE#\d$/);
    expect(whileRunning.GSI4SK).toBe(`2026-11-25T10:00:01.000Z#verification#${id(1)}`);
    expect(claim.outcome).toBe('claimed');
    const done = await store().get(id(1));
    expect(done).toMatchObject({
      status: 'success',
      resourcesStatus: { 'AWS::DynamoDB::Table#orders': 'success' },
      resourcesReason: { 'AWS::DynamoDB::Table#orders': 'checked' },
    });
    expect((await raw(1)).GSI4PK).toBeUndefined();
  });

  it('fails an unstarted verification once, leaving the index, and refuses a finished one', async () => {
    // Prepare
    await store().create(verification(2, 'in_progress'));
    await store().create(verification(3, 'success'));
    // Act
    await store().fail(id(2), 'bus down');
    const refused = store().fail(id(3), 'should not change');
    // Assess
    await expect(refused).rejects.toThrow(new ConditionLostError(`Verification ${id(3)} is no longer in progress.`));
    expect(await store().get(id(2))).toMatchObject({ status: 'fail', errorReason: 'bus down' });
    expect((await raw(2)).GSI4PK).toBeUndefined();
    expect((await store().get(id(3)))!.status).toBe('success');
  });
});
