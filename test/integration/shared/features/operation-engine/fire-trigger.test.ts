import { randomUUID } from 'node:crypto';
import { fireTrigger } from '../../../../../shared/features/operation-engine/use-cases';
import type { FireTriggerDeps } from '../../../../../shared/features/operation-engine/model';
import type { ProtectionService } from '../../../../../shared/features/checkpoints/model';
import { operationLogStore } from '../../../../../shared/features/operation-logs/store';
import { dynamoRunStore } from '../../../../../shared/features/operation-engine/store';
import { dynamoScheduledOperationStore } from '../../../../../shared/features/scheduled-operations/store';
import { dynamoServiceStore } from '../../../../../shared/features/services/store';
import { dynamoTriggerStore } from '../../../../../shared/features/triggers/store';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { aTrigger, anOperation, putLivePlan } from '../../../../support/triggers';
import { calendarRules } from '../../../../../shared/features/triggers/calendar';
import { systemClock } from '../../../../../shared/kernel/ports';

const P = 'fireproj';
const CREATED = '2026-11-01T00:00:00.000Z';
const LIMITS = { minIntervalSeconds: 3600, minWindowSeconds: 900, maxWindowSeconds: 1800 };

describe('fireTrigger on DynamoDB Local', () => {
  const { doc } = testClients();
  let table: string;
  let deps: FireTriggerDeps;
  const protects: string[] = [];
  const protection: ProtectionService = {
    async protect(req) {
      protects.push(req.planId);
      return { checkpointId: randomUUID() };
    },
    async listCheckpoints() {
      return [];
    },
    async deleteCheckpoint() {},
  };
  let triggerId: string;
  let operationId: string;
  const counted: string[] = [];

  beforeAll(async () => {
    table = await createTestTable('fire');
    const planId = await putLivePlan(doc, table, P);
    deps = {
      triggers: dynamoTriggerStore(doc, table),
      operations: dynamoScheduledOperationStore(doc, table),
      runs: dynamoRunStore(doc, table, systemClock),
      logs: operationLogStore(doc, table),
      services: dynamoServiceStore(doc, table),
      protection,
      drills: { drill: async () => ({ outcome: 'skipped', reason: 'no drills here' }) },
      calendar: async () => calendarRules,
      log: () => undefined,
      scheduler: { put: async () => undefined, remove: async () => undefined },
      limits: LIMITS,
      host: 'karbor',
      clock: { now: () => new Date('2026-11-25T12:00:20Z') },
      ids: { newId: () => randomUUID() },
      countRun: (outcome) => void counted.push(outcome),
    };
    const trigger = aTrigger(P, { name: 'hourly', createdAt: CREATED, scheduledFrom: CREATED });
    triggerId = trigger.id;
    await dynamoTriggerStore(doc, table).create(trigger);
    const op = anOperation(P, triggerId, planId, { createdAt: CREATED });
    operationId = op.id;
    await dynamoScheduledOperationStore(doc, table).create(op);
  });

  it('runs a firing delivered twice (even at once) only once, with one operation log', async () => {
    // Act
    const payload = { trigger_id: triggerId, project_id: P, time: '2026-11-25T12:00:00Z' };
    const [a, b] = await Promise.all([fireTrigger(deps, payload), fireTrigger(deps, payload)]);
    const c = await fireTrigger(deps, payload);
    // Assess
    const outcomes = [a, b, c].map((r) => (r.outcome === 'handled' ? [r.ran, r.duplicates] : r.reason));
    expect(outcomes.sort()).toEqual([
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(protects).toHaveLength(1);
    expect(counted).toEqual(['ran']);
    const logs = await operationLogStore(doc, table).list({ projectId: P, limit: 10, offset: 0, ascending: false });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ operationType: 'protect', scheduledOperationId: operationId, status: 'success', endedAt: '2026-11-25T12:00:20.000Z' });
    expect(JSON.parse(logs[0].extraInfo!)).toMatchObject({
      trigger_id: triggerId,
      expected_time: '2026-11-25T12:00:00.000Z',
      triggered_time: '2026-11-25T12:00:00.000Z',
    });
  });

  it('reports the operation engine on every call', async () => {
    const engine = (await deps.services.list()).find((s) => s.binary === 'karbor-operationengine');
    expect(engine?.reportCount).toBeGreaterThanOrEqual(3);
    expect(engine?.updatedAt).toBe('2026-11-25T12:00:20.000Z');
  });
});
