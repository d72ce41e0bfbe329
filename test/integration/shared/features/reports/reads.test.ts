import { randomUUID } from 'node:crypto';
import { operationLogStore, operationLogWindow } from '../../../../../shared/features/operation-logs/store';
import type { Plan } from '../../../../../shared/features/plans/model';
import { complianceFleetStore, planStore } from '../../../../../shared/features/plans/store';
import { judgedPlanReader } from '../../../../../shared/features/plans/use-cases';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { aProtectLog } from '../../../../support/operation-logs';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';

const makeLog = aProtectLog;

const makePlan = (projectId: string, createdAt: string): Plan => ({
  id: randomUUID(),
  projectId,
  name: `plan of ${projectId}`,
  description: null,
  providerId: NOOP,
  status: 'suspended',
  resources: [{ id: projectId, type: 'OS::Keystone::Project', name: projectId }],
  parameters: {},
  createdAt,
  updatedAt: createdAt,
  version: 1,
});

describe('what a report reads, on DynamoDB Local', () => {
  const { doc } = testClients();
  let table: string;
  beforeAll(async () => {
    table = await createTestTable('reports-reads');
  });

  it('reads a window of a project’s logs oldest first, or every project’s, and refuses a window over the cap', async () => {
    // Prepare
    const logs = operationLogStore(doc, table);
    const before = makeLog('rp-a', '2026-11-30T23:59:59.999000');
    const inside = [
      makeLog('rp-a', '2026-12-01T00:00:00.000000'),
      makeLog('rp-a', '2026-12-01T12:00:00.000000'),
      makeLog('rp-a', '2026-12-02T00:00:00.000000'),
    ];
    const theirs = makeLog('rp-b', '2026-12-01T06:00:00.000000');
    const after = makeLog('rp-a', '2026-12-02T00:00:01.000000');
    for (const l of [before, ...inside, theirs, after]) await logs.put(l);
    const window = operationLogWindow(doc, table);
    const range = { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000' };
    // Act
    const mine = await window.between({ projectId: 'rp-a', ...range, cap: 10 });
    const all = await window.between({ ...range, cap: 10 });
    const capped = await window.between({ projectId: 'rp-a', ...range, cap: 2 });
    // Assess
    expect(mine?.map((l) => l.id)).toEqual(inside.map((l) => l.id));
    expect(all?.map((l) => l.id)).toEqual([inside[0].id, theirs.id, inside[1].id, inside[2].id]);
    expect(capped).toBeUndefined();
  });

  it('judges a project’s plans, or every project’s, with their compliance', async () => {
    // Prepare
    const plans = planStore(doc, table);
    const a = makePlan('rj-a', '2026-12-01T00:00:00.000000');
    const b = makePlan('rj-b', '2026-12-01T00:00:01.000000');
    await plans.create(a, -1);
    await plans.create(b, -1);
    const reader = judgedPlanReader({ plans, fleet: complianceFleetStore(doc, table), clock: { now: () => new Date('2026-12-08T00:00:00Z') } });
    // Act
    const mine = await reader.judgedPlans('rj-a');
    const all = await reader.judgedPlans();
    // Assess
    expect(mine.map((p) => [p.id, p.compliance.status])).toEqual([[a.id, 'unprotected']]);
    expect(all.map((p) => p.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(all.every((p) => p.compliance.status === 'unprotected')).toBe(true);
  });
});
