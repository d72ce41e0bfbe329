import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Checkpoint } from '../../../../shared/features/checkpoints/model';
import { dynamoCheckpointStore } from '../../../../shared/features/checkpoints/store';
import type { OperationLog } from '../../../../shared/features/operation-logs/model';
import { operationLogStore } from '../../../../shared/features/operation-logs/store';
import type { Plan } from '../../../../shared/features/plans/model';
import { planStore } from '../../../../shared/features/plans/store';
import type { Restore } from '../../../../shared/features/restores/model';
import { dynamoRestoreStore } from '../../../../shared/features/restores/store';
import type { ScheduledOperation } from '../../../../shared/features/scheduled-operations/model';
import { dynamoScheduledOperationStore } from '../../../../shared/features/scheduled-operations/store';
import type { Trigger } from '../../../../shared/features/triggers/model';
import { dynamoTriggerStore } from '../../../../shared/features/triggers/store';
import type { Verification } from '../../../../shared/features/verifications/model';
import { dynamoVerificationStore } from '../../../../shared/features/verifications/store';
import { createTestTable, testClients } from '../../../support/dynamo';

/**
 * The exact stored attributes of every item a listing store writes: the key
 * layout and the item shape are data (existing tables hold them), so a change
 * of a store's code must not change them. Expected values are written out
 * here, not computed by the stores' own helpers.
 */
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'proj-stored';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** The plans / scheduled operations project digest (docs/decisions.md §16). */
const digest = (projectId: string) => createHash('sha256').update(projectId).digest('base64url').slice(0, 22);
/** The sparse running-jobs shard of an id (jobs/transact.ts). */
const shard = (x: string) => [...x].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 8, 0);

describe('stored items of the listing stores (DynamoDB Local)', () => {
  const { doc } = testClients();
  let table: string;
  const raw = async (PK: string, SK: string) => (await doc.send(new GetCommand({ TableName: table, Key: { PK, SK }, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    table = await createTestTable('stored');
  });

  it('a plan: create, update, delete', async () => {
    // Prepare
    const store = planStore(doc, table);
    const plan: Plan = {
      id: id(1),
      projectId: P,
      name: 'p',
      description: null,
      providerId: NOOP,
      status: 'suspended',
      resources: [
        { id: 'r1', type: 'OS::Nova::Server', name: 'vm', extra_info: { az: 'z1' } },
        { id: 'r2', type: 'OS::Cinder::Volume', name: 'vol' },
      ],
      parameters: { 'OS::Nova::Server': { a: 'b' } },
      createdAt: '2026-11-01T00:00:00.000000',
      updatedAt: '2026-11-01T00:00:00.000000',
      version: 1,
    };
    const base = {
      PK: `PLAN#${id(1)}`,
      SK: 'PLAN',
      GSI1PK: 'PLANS',
      GSI1SK: `${digest(P)}#2026-11-01T00:00:00.000000#${id(1)}`,
      entity: 'plan',
      schemaVersion: 1,
      id: id(1),
      name: 'p',
      description: null,
      // Extension (docs/decisions.md §25): none named, the provider's default destination.
      destinations: [],
      provider_id: NOOP,
      project_id: P,
      status: 'suspended',
      parameters: '{"OS::Nova::Server":{"a":"b"}}',
      resources: [
        { resource_id: 'r1', resource_type: 'OS::Nova::Server', resource_name: 'vm', extra_info: '{"az":"z1"}' },
        { resource_id: 'r2', resource_type: 'OS::Cinder::Volume', resource_name: 'vol', extra_info: null },
      ],
      created_at: '2026-11-01T00:00:00.000000',
      updated_at: '2026-11-01T00:00:00.000000',
      deleted_at: null,
      deleted: false,
      version: 1,
    };
    // Act + Assess
    await store.create(plan, -1);
    expect(await raw(`PLAN#${id(1)}`, 'PLAN')).toEqual(base);
    await store.update({ ...plan, name: 'q', status: 'started', updatedAt: '2026-11-02T00:00:00.000000', version: 2 }, 1);
    const updated = { ...base, name: 'q', status: 'started', updated_at: '2026-11-02T00:00:00.000000', version: 2 };
    expect(await raw(`PLAN#${id(1)}`, 'PLAN')).toEqual(updated);
    await store.remove({ ...plan, version: 2 }, '2026-11-03T00:00:00.000000');
    const { GSI1PK, GSI1SK, ...unindexed } = updated;
    void GSI1PK;
    void GSI1SK;
    expect(await raw(`PLAN#${id(1)}`, 'PLAN')).toEqual({
      ...unindexed,
      deleted: true,
      deleted_at: '2026-11-03T00:00:00.000000',
      updated_at: '2026-11-03T00:00:00.000000',
      expiresAt: Math.floor(Date.parse('2026-11-03T00:00:00.000Z') / 1000) + 30 * 86400,
    });
  });

  it('a trigger: create, update', async () => {
    // Prepare
    const store = dynamoTriggerStore(doc, table);
    const trigger: Trigger = {
      id: id(2),
      projectId: P,
      name: 't',
      type: 'time',
      properties: { format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00' },
      createdAt: '2026-11-01T00:00:00.000Z',
      scheduledFrom: '2026-11-01T00:00:00.000Z',
      operationCount: 0,
    };
    const base = {
      PK: `TRIGGER#${id(2)}`,
      SK: 'TRIGGER',
      GSI1PK: `TRIGGERS#PROJECT#${P}`,
      GSI1SK: `2026-11-01T00:00:00.000Z#${id(2)}`,
      GSI2PK: 'TRIGGERS',
      GSI2SK: `2026-11-01T00:00:00.000Z#${id(2)}`,
      entity: 'trigger',
      schemaVersion: 1,
      id: id(2),
      projectId: P,
      name: 't',
      type: 'time',
      properties: { format: 'crontab', pattern: '0 * * * *', start_time: '2026-01-01 00:00:00' },
      createdAt: '2026-11-01T00:00:00.000Z',
      scheduledFrom: '2026-11-01T00:00:00.000Z',
      operationCount: 0,
    };
    // Act + Assess
    await store.create(trigger);
    expect(await raw(`TRIGGER#${id(2)}`, 'TRIGGER')).toEqual(base);
    await store.update(id(2), { name: 'u', scheduledFrom: '2026-11-02T00:00:00.000Z' }, '2026-11-01T00:00:00.000Z');
    expect(await raw(`TRIGGER#${id(2)}`, 'TRIGGER')).toEqual({ ...base, name: 'u', scheduledFrom: '2026-11-02T00:00:00.000Z' });
  });

  it('a scheduled operation: create, a run', async () => {
    // Prepare: its trigger and plan exist (the create checks both).
    const planId = id(31);
    await planStore(doc, table).create(
      {
        id: planId,
        projectId: P,
        name: 'p',
        description: null,
        providerId: NOOP,
        status: 'suspended',
        resources: [],
        parameters: {},
        createdAt: '2026-11-01T00:00:00.000000',
        updatedAt: '2026-11-01T00:00:00.000000',
        version: 1,
      },
      -1,
    );
    await dynamoTriggerStore(doc, table).create({
      id: id(32),
      projectId: P,
      name: 't',
      type: 'time',
      properties: { format: 'crontab', pattern: '0 * * * *' },
      createdAt: '2026-11-01T00:00:00.000Z',
      scheduledFrom: '2026-11-01T00:00:00.000Z',
      operationCount: 0,
    });
    const store = dynamoScheduledOperationStore(doc, table);
    const op: ScheduledOperation = {
      id: id(3),
      projectId: P,
      userId: 'admin',
      name: 'op',
      description: null,
      operationType: 'protect',
      triggerId: id(32),
      operationDefinition: { provider_id: NOOP, plan_id: planId },
      enabled: true,
      createdAt: '2026-11-01T00:00:00.000Z',
      lastRun: null,
    };
    const base = {
      PK: `OPERATION#${id(3)}`,
      SK: 'OPERATION',
      GSI1PK: 'OPERATIONS',
      GSI1SK: `${digest(P)}#2026-11-01T00:00:00.000Z#${id(3)}`,
      entity: 'scheduledOperation',
      schemaVersion: 2,
      id: id(3),
      projectId: P,
      userId: 'admin',
      name: 'op',
      description: null,
      operationType: 'protect',
      triggerId: id(32),
      operationDefinition: { provider_id: NOOP, plan_id: planId },
      enabled: true,
      createdAt: '2026-11-01T00:00:00.000Z',
    };
    // Act + Assess
    await store.create(op);
    expect(await raw(`OPERATION#${id(3)}`, 'OPERATION')).toEqual(base);
    const run = { time: '2026-11-01T01:00:00.000Z', status: 'success', logId: id(33) };
    await store.recordRun(id(3), run);
    expect(await raw(`OPERATION#${id(3)}`, 'OPERATION')).toEqual({ ...base, lastRun: run });
  });

  const aLog = (n: number, over: Partial<OperationLog> = {}): OperationLog => ({
    id: id(n),
    projectId: P,
    operationType: 'protect',
    checkpointId: id(n + 1),
    planId: id(n + 2),
    providerId: NOOP,
    restoreId: null,
    scheduledOperationId: null,
    status: 'protecting',
    startedAt: '2026-11-01T00:00:00.000000',
    endedAt: null,
    errorInfo: null,
    extraInfo: null,
    ...over,
  });
  const logItem = (n: number, over: Record<string, unknown> = {}) => ({
    PK: `OPLOG#${id(n)}`,
    SK: 'OPLOG',
    GSI1PK: `OPLOGS#PROJECT#${P}`,
    GSI1SK: `2026-11-01T00:00:00.000000#${id(n)}`,
    GSI2PK: 'OPLOGS',
    GSI2SK: `2026-11-01T00:00:00.000000#${id(n)}`,
    entity: 'operationLog',
    schemaVersion: 1,
    id: id(n),
    projectId: P,
    operationType: 'protect',
    checkpointId: id(n + 1),
    planId: id(n + 2),
    providerId: NOOP,
    restoreId: null,
    scheduledOperationId: null,
    status: 'protecting',
    startedAt: '2026-11-01T00:00:00.000000',
    endedAt: null,
    errorInfo: null,
    extraInfo: null,
    ...over,
  });

  it('an operation log: put, update', async () => {
    // Prepare
    const store = operationLogStore(doc, table);
    // Act + Assess
    await store.put(aLog(40));
    expect(await raw(`OPLOG#${id(40)}`, 'OPLOG')).toEqual(logItem(40));
    await store.update(id(40), { status: 'available', endedAt: '2026-11-01T00:10:00.000000' });
    expect(await raw(`OPLOG#${id(40)}`, 'OPLOG')).toEqual(logItem(40, { status: 'available', endedAt: '2026-11-01T00:10:00.000000' }));
  });

  it('a restore: create (running, and failed before it ran), claim, progress, finish', async () => {
    // Prepare
    const store = dynamoRestoreStore(doc, table);
    const restore = (n: number, over: Partial<Restore> = {}): Restore => ({
      id: id(n),
      projectId: P,
      providerId: NOOP,
      checkpointId: id(n + 1),
      restoreTarget: null,
      parameters: { 'OS::Nova::Server': { a: 'b' }, x: null },
      status: 'in_progress',
      createdAt: '2026-11-01T00:00:00.000000',
      deadline: '2026-11-01T06:00:00.000000',
      attempts: 0,
      resourcesStatus: {},
      resourcesReason: {},
      ...over,
    });
    const item = (n: number, over: Record<string, unknown> = {}) => ({
      PK: `RESTORE#${id(n)}`,
      SK: 'RESTORE',
      entity: 'restore',
      schemaVersion: 1,
      id: id(n),
      projectId: P,
      providerId: NOOP,
      checkpointId: id(n + 1),
      restoreTarget: null,
      parameters: { 'OS::Nova::Server': { a: 'b' }, x: null },
      status: 'in_progress',
      createdAt: '2026-11-01T00:00:00.000000',
      deadline: '2026-11-01T06:00:00.000000',
      attempts: 0,
      resourcesStatus: {},
      resourcesReason: {},
      GSI1PK: `RESTORE_PROJECT#${P}`,
      GSI1SK: `2026-11-01T00:00:00.000000#${id(n)}`,
      GSI2PK: 'RESTORES',
      GSI2SK: `2026-11-01T00:00:00.000000#${id(n)}`,
      ...over,
    });
    const active = (n: number) => ({ GSI4PK: `JOBS_ACTIVE#${shard(id(n))}`, GSI4SK: `2026-11-01T00:00:00.000000#restore#${id(n)}` });
    // Act + Assess: created running, with its log.
    await store.create(restore(50), aLog(53, { operationType: 'restore', checkpointId: id(51), planId: null, restoreId: id(50), status: 'in_progress' }));
    expect(await raw(`RESTORE#${id(50)}`, 'RESTORE')).toEqual(item(50, active(50)));
    expect(await raw(`OPLOG#${id(53)}`, 'OPLOG')).toEqual(
      logItem(53, { operationType: 'restore', checkpointId: id(51), planId: null, restoreId: id(50), status: 'in_progress' }),
    );
    // Created failed: off the running jobs' index, with its reason.
    await store.create(restore(60, { status: 'fail', errorReason: 'no such checkpoint' }));
    expect(await raw(`RESTORE#${id(60)}`, 'RESTORE')).toEqual(item(60, { status: 'fail', errorReason: 'no such checkpoint' }));
    // The worker's writes.
    const claim = await store.jobs.claim(id(50), 'in_progress', { token: 'tok', until: '2026-11-01T00:02:00.000000', now: '2026-11-01T00:00:01.000000' });
    expect(claim.outcome).toBe('claimed');
    await store.jobs.setResource(id(50), 'tok', 'OS::Nova::Server#vm1', 'restoring');
    await store.jobs.saveStep(id(50), 'tok', 'start', { ok: 1 });
    // On the job item beside it; the restore and its index entries are not written.
    expect(await raw(`RESTORE#${id(50)}`, 'RESTORE')).toEqual(item(50, active(50)));
    expect(await raw(`RESTORE#${id(50)}`, 'RESTORE#JOB')).toEqual({
      PK: `RESTORE#${id(50)}`,
      SK: 'RESTORE#JOB',
      entity: 'restore-job',
      schemaVersion: 1,
      phase: 'in_progress',
      attempts: 1,
      leaseToken: 'tok',
      leaseUntil: '2026-11-01T00:02:00.000000',
      jobSteps: { start: { ok: 1 } },
      resourcesStatus: { 'OS::Nova::Server#vm1': 'restoring' },
      resourcesReason: {},
    });
    await expect(
      store.jobs.finish(
        id(50),
        'tok',
        'in_progress',
        'fail',
        'boom',
        { id: id(53), changes: { status: 'fail', errorInfo: 'boom' } },
        { 'OS::Nova::Server#vm1': 'i-0new' },
      ),
    ).resolves.toBeUndefined();
    // What it made is written with the final status, and read back.
    expect(await raw(`RESTORE#${id(50)}`, 'RESTORE')).toEqual(
      item(50, {
        attempts: 1,
        status: 'fail',
        errorReason: 'boom',
        resourcesStatus: { 'OS::Nova::Server#vm1': 'restoring' },
        resourcesMade: { 'OS::Nova::Server#vm1': 'i-0new' },
      }),
    );
    expect(await raw(`RESTORE#${id(50)}`, 'RESTORE#JOB')).toBeUndefined();
    expect((await store.get(id(50)))?.resourcesMade).toEqual({ 'OS::Nova::Server#vm1': 'i-0new' });
    // And the read back is the domain object, without keys or lease.
    expect(await store.get(id(60))).toEqual(restore(60, { status: 'fail', errorReason: 'no such checkpoint' }));
  });

  it('a restore that fails before its worker runs', async () => {
    // Prepare
    const store = dynamoRestoreStore(doc, table);
    await store.create({
      id: id(70),
      projectId: P,
      providerId: NOOP,
      checkpointId: id(71),
      restoreTarget: 'http://target',
      parameters: {},
      status: 'in_progress',
      createdAt: '2026-11-01T00:00:00.000000',
      deadline: '2026-11-01T06:00:00.000000',
      attempts: 0,
      resourcesStatus: {},
      resourcesReason: {},
    });
    // Act
    await store.fail(id(70), 'bus down');
    // Assess
    expect(await raw(`RESTORE#${id(70)}`, 'RESTORE')).toEqual({
      PK: `RESTORE#${id(70)}`,
      SK: 'RESTORE',
      entity: 'restore',
      schemaVersion: 1,
      id: id(70),
      projectId: P,
      providerId: NOOP,
      checkpointId: id(71),
      restoreTarget: 'http://target',
      parameters: {},
      status: 'fail',
      errorReason: 'bus down',
      createdAt: '2026-11-01T00:00:00.000000',
      deadline: '2026-11-01T06:00:00.000000',
      attempts: 0,
      resourcesStatus: {},
      resourcesReason: {},
      GSI1PK: `RESTORE_PROJECT#${P}`,
      GSI1SK: `2026-11-01T00:00:00.000000#${id(70)}`,
      GSI2PK: 'RESTORES',
      GSI2SK: `2026-11-01T00:00:00.000000#${id(70)}`,
    });
  });

  it('a verification: create', async () => {
    // Prepare
    const store = dynamoVerificationStore(doc, table);
    const v: Verification = {
      id: id(80),
      projectId: P,
      providerId: NOOP,
      checkpointId: id(81),
      parameters: { x: { a: 'b' } },
      status: 'fail',
      resourcesStatus: {},
      resourcesReason: {},
      createdAt: '2026-11-01T00:00:00.000000',
      errorReason: 'no verify',
      deadline: '2026-11-01T01:00:00.000000',
      attempts: 0,
    };
    // Act
    await store.create(v);
    // Assess
    expect(await raw(`VERIFICATION#${id(80)}`, 'VERIFICATION')).toEqual({
      PK: `VERIFICATION#${id(80)}`,
      SK: 'VERIFICATION',
      entity: 'verification',
      schemaVersion: 1,
      id: id(80),
      projectId: P,
      providerId: NOOP,
      checkpointId: id(81),
      parameters: { x: { a: 'b' } },
      status: 'fail',
      resourcesStatus: {},
      resourcesReason: {},
      createdAt: '2026-11-01T00:00:00.000000',
      errorReason: 'no verify',
      deadline: '2026-11-01T01:00:00.000000',
      attempts: 0,
      GSI1PK: `VERIFICATION_PROJECT#${P}`,
      GSI1SK: `2026-11-01T00:00:00.000000#${id(80)}`,
      GSI2PK: 'VERIFICATIONS',
      GSI2SK: `2026-11-01T00:00:00.000000#${id(80)}`,
    });
    expect(await store.get(id(80))).toEqual(v);
  });

  it('a checkpoint: create, protect, finish, delete', async () => {
    // Prepare
    const store = dynamoCheckpointStore(doc, table);
    const c: Checkpoint = {
      id: id(90),
      projectId: P,
      providerId: NOOP,
      planId: id(91),
      status: 'protecting',
      protectionPlan: { id: id(91), name: 'p', provider_id: NOOP, resources: [{ id: 'r1', type: 'OS::Nova::Server', name: 'vm', extra_info: null }] },
      parameters: { 'OS::Nova::Server': { a: 'b' } },
      resourceGraph: null,
      extraInfo: { created_by: 'manual' },
      createdAt: '2026-11-01T00:00:00.000000',
      deadline: '2026-11-01T01:00:00.000000',
      attempts: 0,
      resourcesStatus: {},
      resourcesReason: {},
      operationLogId: id(93),
    };
    const listed = {
      GSI1PK: `CKPT#${NOOP}#${P}`,
      GSI1SK: `2026-11-01T00:00:00.000000#${id(90)}`,
      GSI2PK: `CKPT_PLAN#${id(91)}#${P}`,
      GSI2SK: `2026-11-01T00:00:00.000000#${id(90)}`,
      GSI3PK: `CKPT_PROVIDER#${NOOP}`,
      GSI3SK: `2026-11-01T00:00:00.000000#${id(90)}`,
    };
    const base = {
      PK: `CHECKPOINT#${id(90)}`,
      SK: 'CHECKPOINT',
      entity: 'checkpoint',
      schemaVersion: 1,
      id: id(90),
      projectId: P,
      providerId: NOOP,
      planId: id(91),
      status: 'protecting',
      protectionPlan: { id: id(91), name: 'p', provider_id: NOOP, resources: [{ id: 'r1', type: 'OS::Nova::Server', name: 'vm', extra_info: null }] },
      parameters: { 'OS::Nova::Server': { a: 'b' } },
      resourceGraph: null,
      extraInfo: { created_by: 'manual' },
      createdAt: '2026-11-01T00:00:00.000000',
      deadline: '2026-11-01T01:00:00.000000',
      attempts: 0,
      resourcesStatus: {},
      resourcesReason: {},
      operationLogId: id(93),
      ...listed,
    };
    const active = (since: string, kind = 'checkpoint') => ({ GSI4PK: `JOBS_ACTIVE#${shard(id(90))}`, GSI4SK: `${since}#${kind}#${id(90)}` });
    // Act + Assess: created with its log and quota count.
    await store.create(c, aLog(93, { checkpointId: id(90), planId: id(91) }), -1);
    expect(await raw(`CHECKPOINT#${id(90)}`, 'CHECKPOINT')).toEqual({ ...base, ...active('2026-11-01T00:00:00.000000') });
    expect(await raw(`OPLOG#${id(93)}`, 'OPLOG')).toEqual(logItem(93, { checkpointId: id(90), planId: id(91) }));
    // The worker: claim, graph, a resource, finish.
    await store.jobs.claim(id(90), 'protecting', { token: 'tok', until: '2026-11-01T00:02:00.000000', now: '2026-11-01T00:00:01.000000' });
    await store.setGraph(id(90), 'tok', '[["graph"]]');
    await store.jobs.setResource(id(90), 'tok', 'OS::Nova::Server#r1', 'available');
    // They go on the job item beside it (no index holds it); the checkpoint and its index entries are not written.
    expect(await raw(`CHECKPOINT#${id(90)}`, 'CHECKPOINT')).toEqual({ ...base, ...active('2026-11-01T00:00:00.000000') });
    expect(await raw(`CHECKPOINT#${id(90)}`, 'CHECKPOINT#JOB')).toEqual({
      PK: `CHECKPOINT#${id(90)}`,
      SK: 'CHECKPOINT#JOB',
      entity: 'checkpoint-job',
      schemaVersion: 1,
      phase: 'protecting',
      attempts: 1,
      leaseToken: 'tok',
      leaseUntil: '2026-11-01T00:02:00.000000',
      jobSteps: {},
      resourceGraph: '[["graph"]]',
      resourcesStatus: { 'OS::Nova::Server#r1': 'available' },
      resourcesReason: {},
    });
    // Read back with its job item: live progress.
    expect(await store.get(id(90))).toMatchObject({ attempts: 1, resourceGraph: '[["graph"]]', resourcesStatus: { 'OS::Nova::Server#r1': 'available' } });
    await expect(
      store.jobs.finish(id(90), 'tok', 'protecting', 'available', undefined, { id: id(93), changes: { status: 'available' } }),
    ).resolves.toBeUndefined();
    const available = { ...base, attempts: 1, status: 'available', resourceGraph: '[["graph"]]', resourcesStatus: { 'OS::Nova::Server#r1': 'available' } };
    // The final write copies the job's state onto the checkpoint and deletes the job item.
    expect(await raw(`CHECKPOINT#${id(90)}`, 'CHECKPOINT')).toEqual(available);
    expect(await raw(`CHECKPOINT#${id(90)}`, 'CHECKPOINT#JOB')).toBeUndefined();
    // A delete starts: a new log, a new deadline, on the running jobs' index again.
    const moved = await store.transition(id(90), {
      from: ['available'],
      to: 'deleting',
      now: '2026-11-02T00:00:00.000000',
      deadline: '2026-11-02T01:00:00.000000',
      log: { put: aLog(94, { operationType: 'delete', status: 'deleting', checkpointId: id(90), planId: id(91) }) },
    });
    expect(moved).toMatchObject({ id: id(90), status: 'deleting' });
    const deleting = {
      ...available,
      ...active('2026-11-02T00:00:00.000000'),
      status: 'deleting',
      operationLogId: id(94),
      deadline: '2026-11-02T01:00:00.000000',
      attempts: 0,
    };
    expect(await raw(`CHECKPOINT#${id(90)}`, 'CHECKPOINT')).toEqual(deleting);
    // Deleted: readable by id, on no list.
    await store.jobs.claim(id(90), 'deleting', { token: 'tok2', until: '2026-11-02T00:02:00.000000', now: '2026-11-02T00:00:01.000000' });
    await expect(store.jobs.finish(id(90), 'tok2', 'deleting', 'deleted')).resolves.toBeUndefined();
    const { GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, GSI4PK, GSI4SK, ...unlisted } = deleting;
    void [GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, GSI4PK, GSI4SK];
    expect(await raw(`CHECKPOINT#${id(90)}`, 'CHECKPOINT')).toEqual({ ...unlisted, status: 'deleted', attempts: 1 });
    // The read back is the domain object, without keys or lease.
    expect(await store.get(id(90))).toEqual({
      ...c,
      status: 'deleted',
      operationLogId: id(94),
      deadline: '2026-11-02T01:00:00.000000',
      attempts: 1,
      resourceGraph: '[["graph"]]',
      resourcesStatus: { 'OS::Nova::Server#r1': 'available' },
    });
  });
});
