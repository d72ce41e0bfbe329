import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckpointSummary } from '../../../../../shared/features/checkpoints/model';
import type { DrillDeps, DrillRequest } from '../../../../../shared/features/drills/model';
import { dynamoDrillGuardStore } from '../../../../../shared/features/drills/store';
import { runDrill } from '../../../../../shared/features/drills/use-cases';
import { complianceKey } from '../../../../../shared/features/plans/transact';
import type { Provider } from '../../../../../shared/features/providers/model';
import type { Verification, VerificationStarter } from '../../../../../shared/features/verifications/model';
import { dynamoVerificationStore } from '../../../../../shared/features/verifications/store';
import { createTestTable, testClients } from '../../../../support/dynamo';

const P = 'drillproj';
const PROVIDER = 'cf56bd3e-97a7-4078-b6d5-f36246333fd9';
const T0 = Date.parse('2026-11-25T03:00:00.000Z');

const provider = {
  id: PROVIDER,
  name: 'aws',
  description: '',
  extendedInfoSchema: {
    options_schema: {},
    restore_schema: {},
    saved_info_schema: {},
    verify_schema: { 'AWS::DynamoDB::Table': { type: 'object', properties: { depth: { type: 'string' } } }, 'OS::Keystone::Project': {} },
  },
} as unknown as Provider;

/**
 * The drill use case with the real guard items on DynamoDB Local; the
 * verifications it starts are kept in memory, their status set by the test
 * (the protection worker's part is the e2e's).
 */
describe('runDrill on DynamoDB Local (docs/decisions.md §24)', () => {
  const { doc } = testClients();
  let table: string;
  beforeAll(async () => {
    table = await createTestTable('drills');
  });

  const world = (opts: { concurrency?: number; checkpoints?: CheckpointSummary[]; table?: string } = {}) => {
    let now = T0;
    const started: Array<Parameters<VerificationStarter['start']>[1]> = [];
    const statuses = new Map<string, Verification['status']>();
    const deps: DrillDeps = {
      checkpoints: {
        listCheckpoints: async () =>
          opts.checkpoints ?? [
            { id: 'cp-old', status: 'available', createdAt: '2026-11-20T03:00:00.000Z' },
            { id: 'cp-new', status: 'available', createdAt: '2026-11-24T03:00:00.000Z' },
            { id: 'cp-newest', status: 'error', createdAt: '2026-11-25T02:00:00.000Z' },
          ],
      },
      verifications: {
        start: async (_identity, input) => {
          started.push(input);
          statuses.set(input.id, 'in_progress');
          return { id: input.id, status: 'in_progress' } as Verification;
        },
        statuses: async (ids) => new Map(ids.filter((id) => statuses.has(id)).map((id) => [id, statuses.get(id)!])),
      },
      providers: { all: () => [provider] },
      guards: dynamoDrillGuardStore(doc, opts.table ?? table),
      concurrency: opts.concurrency ?? 5,
      clock: { now: () => new Date(now) },
      ids: { newId: () => randomUUID() },
    };
    const advance = (seconds: number) => {
      now += seconds * 1000;
    };
    return { deps, started, statuses, advance };
  };
  const anOp = (planId = randomUUID(), definition: Record<string, string> = {}): DrillRequest => ({
    id: randomUUID(),
    projectId: P,
    userId: 'u',
    operationDefinition: { provider_id: PROVIDER, plan_id: planId, ...definition },
  });

  it('verifies the newest available checkpoint, at basic depth unless full is asked for, naming the drill', async () => {
    // Prepare
    const w = world();
    const basic = anOp();
    const full = anOp(undefined, { depth: 'full' });
    // Act
    const first = await runDrill(w.deps, basic);
    const second = await runDrill(w.deps, full);
    // Assess
    expect(first).toMatchObject({ outcome: 'started', checkpointId: 'cp-new', depth: 'basic' });
    expect(second).toMatchObject({ outcome: 'started', checkpointId: 'cp-new', depth: 'full' });
    expect(w.started.map((s) => s.parameters)).toEqual([{ 'AWS::DynamoDB::Table': { depth: 'basic' } }, { 'AWS::DynamoDB::Table': { depth: 'full' } }]);
    expect(w.started[0]).toMatchObject({
      checkpointId: 'cp-new',
      providerId: PROVIDER,
      drill: { planId: basic.operationDefinition.plan_id, scheduledOperationId: basic.id },
    });
  });

  it('verifies a full drill over its max_bytes at basic depth and says why; within the cap it stays full', async () => {
    // Prepare: the newest available checkpoint wrote 5000 bytes to the bank
    const sized = (bankBytes?: number): CheckpointSummary[] => [
      { id: 'cp-sized', status: 'available', createdAt: '2026-11-24T03:00:00.000Z', ...(bankBytes === undefined ? {} : { bankBytes }) },
    ];
    // Its own table: the account's seats of the other tests stay as they are.
    const own = await createTestTable('drills-cap');
    const over = world({ checkpoints: sized(5000), table: own });
    const within = world({ checkpoints: sized(5000), table: own });
    const unknown = world({ checkpoints: sized(), table: own });
    // Act
    const capped = await runDrill(over.deps, anOp(undefined, { depth: 'full', max_bytes: '4999' }));
    const kept = await runDrill(within.deps, anOp(undefined, { depth: 'full', max_bytes: '5000' }));
    const unsized = await runDrill(unknown.deps, anOp(undefined, { depth: 'full', max_bytes: '5000' }));
    // Assess
    expect(capped).toMatchObject({
      outcome: 'started',
      depth: 'basic',
      capped: 'the checkpoint holds 5000 bytes, over max_bytes 4999: verified at depth basic',
    });
    expect(over.started[0].parameters).toEqual({ 'AWS::DynamoDB::Table': { depth: 'basic' } });
    expect(kept).toMatchObject({ outcome: 'started', depth: 'full' });
    expect(kept).not.toHaveProperty('capped');
    expect(unsized).toMatchObject({ depth: 'basic', capped: expect.stringContaining('size is unknown') });
  });

  it('answers failed with a reason for a plan with no available checkpoint, and takes no seat', async () => {
    // Prepare
    const w = world({ checkpoints: [{ id: 'cp', status: 'error', createdAt: '2026-11-24T03:00:00.000Z' }] });
    const op = anOp();
    // Act
    const result = await runDrill(w.deps, op);
    // Assess
    expect(result).toEqual({ outcome: 'failed', reason: `Plan ${op.operationDefinition.plan_id} has no available checkpoint to verify.` });
    expect(w.started).toEqual([]);
    expect((await doc.send(new GetCommand({ TableName: table, Key: { PK: `PLAN#${op.operationDefinition.plan_id}`, SK: 'DRILL' } }))).Item).toBeUndefined();
  });

  it('skips a second occurrence while the plan has a drill running, and runs the next one once it ended', async () => {
    // Prepare
    const w = world();
    const op = anOp();
    const first = await runDrill(w.deps, op);
    // Act
    w.advance(3600);
    const whileRunning = await runDrill(w.deps, op);
    w.statuses.set((first as { verificationId: string }).verificationId, 'success');
    w.advance(3600);
    const afterwards = await runDrill(w.deps, op);
    // Assess
    expect(whileRunning).toEqual({
      outcome: 'skipped',
      reason: `A drill of plan ${op.operationDefinition.plan_id} is running (verification ${(first as { verificationId: string }).verificationId}): this occurrence is skipped.`,
    });
    expect(afterwards).toMatchObject({ outcome: 'started' });
    expect(w.started).toHaveLength(2);
  });

  it('starts one drill of two occurrences that race for the same plan', async () => {
    // Prepare
    const w = world();
    const planId = randomUUID();
    // Act
    const results = await Promise.all([runDrill(w.deps, anOp(planId)), runDrill(w.deps, anOp(planId))]);
    // Assess
    expect(results.map((r) => r.outcome).sort()).toEqual(['skipped', 'started']);
    expect(w.started).toHaveLength(1);
  });

  it('holds a seat whose verification was never created for the grace, then frees it (a drill that died as it started)', async () => {
    // Prepare: a drill took its seats, then died before its verification existed.
    const w = world();
    const op = anOp();
    w.deps.verifications.start = async () => {
      throw new Error('killed');
    };
    await expect(runDrill(w.deps, op)).rejects.toThrow('killed');
    const restored = world();
    // Act
    const soon = await runDrill(restored.deps, op);
    restored.advance(301);
    const later = await runDrill(restored.deps, op);
    // Assess
    expect(soon).toMatchObject({ outcome: 'skipped' });
    expect(later).toMatchObject({ outcome: 'started' });
  });

  it('runs at most KARBOR_DRILL_CONCURRENCY drills in the account, and a freed slot serves the next plan', async () => {
    // Prepare: a table of its own, so the account's slots are only this test's.
    const own = await createTestTable('drillcap');
    const w = world({ concurrency: 2 });
    w.deps.guards = dynamoDrillGuardStore(doc, own);
    const [a, b, c] = [anOp(), anOp(), anOp()];
    // Act
    const first = await runDrill(w.deps, a);
    await runDrill(w.deps, b);
    const third = await runDrill(w.deps, c);
    w.statuses.set((first as { verificationId: string }).verificationId, 'fail');
    const retried = await runDrill(w.deps, c);
    // Assess
    expect(third).toEqual({
      outcome: 'skipped',
      reason: '2 drills are running, the most the account allows (KARBOR_DRILL_CONCURRENCY=2): this occurrence is skipped.',
    });
    expect(retried).toMatchObject({ outcome: 'started' });
    expect(w.started).toHaveLength(3);
  });

  it('moves the plan last verified time when a drill verification succeeds, and not for a manual one', async () => {
    // Prepare
    const store = dynamoVerificationStore(doc, table);
    const planId = randomUUID();
    const base = {
      projectId: P,
      providerId: PROVIDER,
      checkpointId: 'cp-new',
      parameters: {},
      status: 'in_progress' as const,
      createdAt: '2026-11-25T03:00:00.000Z',
      deadline: '2026-11-25T09:00:00.000Z',
      attempts: 0,
      resourcesStatus: {},
      resourcesReason: {},
    };
    const drillId = randomUUID();
    const manualId = randomUUID();
    await store.create({ ...base, id: drillId, drill: { planId, scheduledOperationId: 'op' } });
    await store.create({ ...base, id: manualId });
    const lease = { token: 't', now: '2026-11-25T03:00:01.000Z', until: '2026-11-25T03:02:00.000Z' };
    // Act
    await store.jobs.claim(manualId, 'in_progress', lease);
    await store.jobs.finish(manualId, 't', 'in_progress', 'success', undefined, undefined, undefined, '2026-11-25T03:00:30.000Z');
    const afterManual = (await doc.send(new GetCommand({ TableName: table, Key: complianceKey(planId) }))).Item;
    await store.jobs.claim(drillId, 'in_progress', lease);
    await store.jobs.finish(drillId, 't', 'in_progress', 'success', undefined, undefined, undefined, '2026-11-25T03:01:00.000Z');
    // Assess
    const item = (await doc.send(new GetCommand({ TableName: table, Key: complianceKey(planId) }))).Item;
    expect(afterManual).toBeUndefined();
    expect(item).toMatchObject({ entity: 'planCompliance', lastVerifiedAt: '2026-11-25T03:01:00.000Z', lastVerifiedCheckpointId: 'cp-new' });
    expect((await store.get(drillId))?.drill).toEqual({ planId, scheduledOperationId: 'op' });
  });
});
