import { importCatalog } from '../../../../../shared/features/catalog/use-cases';
import type { CatalogImportDeps } from '../../../../../shared/features/catalog/model';
import type { Checkpoint } from '../../../../../shared/features/checkpoints/model';
import type { Plan } from '../../../../../shared/features/plans/model';
import { parseCheckpointRecord, recordText } from '../../../../../shared/features/protection/checkpoint-record';

const checkpoint = (id: string, projectId: string, planId = 'plan-1'): Checkpoint => ({
  id,
  projectId,
  providerId: 'prov',
  planId,
  status: 'available',
  protectionPlan: {
    id: planId,
    name: 'tables',
    provider_id: 'prov',
    resources: [{ id: 't1', type: 'AWS::DynamoDB::Table', name: 't1', extra_info: '{"a":1}' }],
  },
  parameters: { 'AWS::DynamoDB::Table': { mode: 'x' } },
  resourceGraph: JSON.stringify([{ '0x0': ['AWS::DynamoDB::Table', 't1', 't1', null] }, []]),
  extraInfo: {},
  createdAt: '2026-12-01T00:00:00.000Z',
  bankManifestDigest: 'd'.repeat(64),
  lock: { mode: 'compliance', until: '2027-01-01T00:00:00.000Z' },
  deadline: '2026-12-01T06:00:00.000Z',
  attempts: 1,
  resourcesStatus: {},
  resourcesReason: {},
});

const setup = (records: Record<string, string>, existing: string[] = []) => {
  const checkpoints = new Map<string, Checkpoint>();
  const plans = new Map<string, Plan>();
  for (const id of existing) checkpoints.set(id, checkpoint(id, 'p1'));
  const logs: Record<string, unknown>[] = [];
  const deps: CatalogImportDeps = {
    records: (name) =>
      name === 'primary' || name === 'dr'
        ? {
            keys: async () => Object.keys(records),
            read: async (key) => parseCheckpointRecord(records[key]),
          }
        : undefined,
    catalog: {
      async importCheckpoint(c) {
        if (checkpoints.has(c.id)) return 'exists';
        checkpoints.set(c.id, c);
        return 'imported';
      },
      async importPlan(p) {
        if (plans.has(p.id)) return 'exists';
        plans.set(p.id, p);
        return 'imported';
      },
    },
    clock: { now: () => new Date('2026-12-08T00:00:00.000Z') },
    log: (e) => void logs.push(e),
  };
  return { deps, checkpoints, plans, logs };
};

const admin = { userId: 'admin', projectId: 'p1', roles: ['admin'], isAdmin: true };
const key = (id: string) => `checkpoints/${id}/checkpoint.json`;

describe('importCatalog (docs/decisions.md §26)', () => {
  it('imports the project checkpoints with their lock, rebuilds their plan suspended, and skips what is there', async () => {
    // Prepare
    const { deps, checkpoints, plans } = setup(
      {
        [key('c1')]: recordText(checkpoint('c1', 'p1'), 'available'),
        [key('c2')]: recordText(checkpoint('c2', 'p1'), 'available'),
        [key('c3')]: recordText(checkpoint('c3', 'p2'), 'available'),
      },
      ['c2'],
    );
    // Act
    const summary = await importCatalog(deps, admin, { bank: 'dr', allTenants: false });
    // Assess
    expect(summary).toEqual({ bank: 'dr', imported: 1, skipped: 1, plansImported: 1, unreadable: 0 });
    expect(checkpoints.has('c3')).toBe(false);
    expect(checkpoints.get('c1')).toMatchObject({
      id: 'c1',
      projectId: 'p1',
      status: 'available',
      lock: { mode: 'compliance', until: '2027-01-01T00:00:00.000Z' },
      bankManifestDigest: 'd'.repeat(64),
      resourcesStatus: { 'AWS::DynamoDB::Table#t1': 'available' },
    });
    expect(plans.get('plan-1')).toMatchObject({
      id: 'plan-1',
      projectId: 'p1',
      name: 'tables',
      status: 'suspended',
      providerId: 'prov',
      resources: [{ id: 't1', type: 'AWS::DynamoDB::Table', name: 't1', extra_info: { a: 1 } }],
      parameters: { 'AWS::DynamoDB::Table': { mode: 'x' } },
    });
  });

  it('imports every project with all_tenants, counting unreadable records and logging them', async () => {
    // Prepare
    const { deps, checkpoints, logs } = setup({
      [key('c1')]: recordText(checkpoint('c1', 'p1'), 'available'),
      [key('c3')]: recordText(checkpoint('c3', 'p2', 'plan-2'), 'available'),
      [key('bad')]: '{"version": 2}',
    });
    // Act
    const summary = await importCatalog(deps, admin, { bank: 'primary', allTenants: true });
    // Assess
    expect(summary).toEqual({ bank: 'primary', imported: 2, skipped: 0, plansImported: 2, unreadable: 1 });
    expect([...checkpoints.keys()].sort()).toEqual(['c1', 'c3']);
    expect(logs[0]).toMatchObject({ key: key('bad'), reason: 'not a version 1 checkpoint record' });
  });

  it('refuses a bank that is not configured', async () => {
    // Prepare
    const { deps } = setup({});
    // Act
    const call = importCatalog(deps, admin, { bank: 'nowhere', allTenants: false });
    // Assess
    await expect(call).rejects.toThrow('Invalid input received: The destination nowhere is not configured.');
  });
});
