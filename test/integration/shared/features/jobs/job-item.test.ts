import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { dynamoCheckpointStore } from '../../../../../shared/features/checkpoints/store';
import { dynamoRestoreStore } from '../../../../../shared/features/restores/store';
import { dynamoActiveJobIndex } from '../../../../../shared/features/jobs/store';
import { protectCheckpoint } from '../../../../../shared/features/protection/jobs/protect';
import { localEngine } from '../../../../../shared/features/protection/job-steps';
import type { WorkerDeps } from '../../../../../shared/features/protection/model';
import type { ProtectionPlugin } from '../../../../../shared/features/protection/plugins';
import { buildResourceGraph, packResourceGraph } from '../../../../../shared/features/protection/resource-graph';
import type { Provider } from '../../../../../shared/features/providers/model';
import { createTestTable, testClients } from '../../../../support/dynamo';
import {
  fakeTimers,
  fakeVerificationStore,
  fixedClock,
  memoryBank,
  recordingPublisher,
  recordingServices,
  sequentialIds,
} from '../../../../support/protection-fakes';
import { outcome } from '../../../../support/outcome';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SERVER = 'OS::Nova::Server';
const plan = (resources: { id: string; type: string; name: string }[] = []) => ({
  id: id(1),
  projectId: 'p1',
  name: 'plan',
  description: null,
  providerId: NOOP,
  status: 'suspended',
  resources,
  parameters: {},
});
const lease = (token: string, now: string, until: string) => ({ token, now, until });

describe('the job item beside a checkpoint or restore (DynamoDB Local)', () => {
  let table: string;
  const { doc } = testClients();
  const raw = async (PK: string, SK: string) => (await doc.send(new GetCommand({ TableName: table, Key: { PK, SK }, ConsistentRead: true }))).Item;
  const store = () => dynamoCheckpointStore(doc, table);
  /** A checkpoint `protecting` since 12:00 with a deadline at 13:00. */
  const protecting = async (n: number) => {
    const c = newCheckpoint(plan(), { created_by: 'manual' }, id(n), new Date('2026-11-25T12:00:00.000Z'), 3600);
    await store().create(c);
    return c;
  };

  beforeAll(async () => {
    table = await createTestTable('job-item');
  });

  it('claims one worker at a time, and lets only the holder renew, record progress and steps, on the job item alone', async () => {
    // Prepare
    await protecting(10);
    const before = await raw(`CHECKPOINT#${id(10)}`, 'CHECKPOINT');
    // Act
    const first = await store().jobs.claim(id(10), 'protecting', lease('a', '2026-11-25T12:00:00.000Z', '2026-11-25T12:02:00.000Z'));
    const second = await store().jobs.claim(id(10), 'protecting', lease('b', '2026-11-25T12:01:00.000Z', '2026-11-25T12:03:00.000Z'));
    const renewed = await outcome(store().jobs.renew(id(10), 'a', '2026-11-25T12:04:00.000Z'));
    const intruder = [
      await outcome(store().jobs.renew(id(10), 'b', '2026-11-25T13:00:00.000Z')),
      await outcome(store().jobs.setResource(id(10), 'b', `${SERVER}#s1`, 'available')),
      await outcome(store().jobs.saveStep(id(10), 'b', 'graph', '[{},[]]')),
      await outcome(store().setGraph(id(10), 'b', '[{},[]]')),
    ];
    await store().jobs.setResource(id(10), 'a', `${SERVER}#s1`, 'error', 'broke');
    await store().jobs.saveStep(id(10), 'a', 'graph', '[{},[]]');
    await store().setGraph(id(10), 'a', '[{},[]]');
    const beforeRenewedEnd = await store().jobs.claim(id(10), 'protecting', lease('c', '2026-11-25T12:03:00.000Z', '2026-11-25T12:05:00.000Z'));
    const takeover = await store().jobs.claim(id(10), 'protecting', lease('c', '2026-11-25T12:04:01.000Z', '2026-11-25T12:06:01.000Z'));
    const staleHolder = await outcome(store().jobs.setResource(id(10), 'a', `${SERVER}#s1`, 'available'));
    // Assess
    expect(first).toMatchObject({ outcome: 'claimed', item: { attempts: 1, jobSteps: {} } });
    expect(second).toMatchObject({ outcome: 'held', until: '2026-11-25T12:02:00.000Z' });
    expect(renewed).toBe('done');
    expect(intruder).toEqual(['lease lost', 'lease lost', 'lease lost', 'lease lost']);
    expect(beforeRenewedEnd).toMatchObject({ outcome: 'held', until: '2026-11-25T12:04:00.000Z' });
    // The next holder gets the recorded state: attempts, statuses, reasons, steps, the graph.
    expect(takeover).toMatchObject({
      outcome: 'claimed',
      item: {
        attempts: 2,
        resourcesStatus: { [`${SERVER}#s1`]: 'error' },
        resourcesReason: { [`${SERVER}#s1`]: 'broke' },
        jobSteps: { graph: '[{},[]]' },
        resourceGraph: '[{},[]]',
      },
    });
    expect(staleHolder).toBe('lease lost');
    // None of it wrote the checkpoint (nor its index entries).
    expect(await raw(`CHECKPOINT#${id(10)}`, 'CHECKPOINT')).toEqual(before);
    expect(await raw(`CHECKPOINT#${id(10)}`, 'CHECKPOINT#JOB')).toMatchObject({ phase: 'protecting', leaseToken: 'c', attempts: 2 });
  });

  it('shows and lists a running job with its live progress, and the sweep sees its lease', async () => {
    // Prepare
    await protecting(20);
    await store().jobs.claim(id(20), 'protecting', lease('a', '2026-11-25T12:00:00.000Z', '2026-11-25T12:02:00.000Z'));
    await store().jobs.setResource(id(20), 'a', `${SERVER}#s1`, 'protecting');
    // Act
    const shown = await store().get(id(20));
    const listed = await store().list({ providerId: NOOP, projectId: 'p1', dir: 'desc', limit: 100 });
    const running = await dynamoActiveJobIndex(doc, table).list('2026-11-25T12:10:00.000Z', 100);
    // Assess
    expect(shown).toMatchObject({ status: 'protecting', attempts: 1, resourcesStatus: { [`${SERVER}#s1`]: 'protecting' } });
    expect(listed.find((c) => c.id === id(20))).toMatchObject({ resourcesStatus: { [`${SERVER}#s1`]: 'protecting' } });
    expect(running.find((j) => j.id === id(20))).toEqual({
      kind: 'checkpoint',
      id: id(20),
      projectId: 'p1',
      status: 'protecting',
      since: '2026-11-25T12:00:00.000Z',
      leaseToken: 'a',
      leaseUntil: '2026-11-25T12:02:00.000Z',
    });
  });

  it('finishes once, by the holder: the state goes onto the checkpoint with its final status and the job item goes', async () => {
    // Prepare
    await protecting(30);
    await store().jobs.claim(id(30), 'protecting', lease('a', '2026-11-25T12:00:00.000Z', '2026-11-25T12:02:00.000Z'));
    await store().setGraph(id(30), 'a', '[{},[]]');
    await store().jobs.setResource(id(30), 'a', `${SERVER}#s1`, 'available');
    // Act
    const intruder = await outcome(store().jobs.finish(id(30), 'b', 'protecting', 'available'));
    const wrongPhase = await outcome(store().jobs.finish(id(30), 'a', 'deleting', 'deleted'));
    const finished = await outcome(store().jobs.finish(id(30), 'a', 'protecting', 'available'));
    const again = await outcome(store().jobs.finish(id(30), 'a', 'protecting', 'available'));
    const claimAfter = await store().jobs.claim(id(30), 'protecting', lease('c', '2026-11-25T12:05:00.000Z', '2026-11-25T12:07:00.000Z'));
    // Assess
    expect([intruder, wrongPhase, finished, again]).toEqual(['lease lost', 'lease lost', 'done', 'lease lost']);
    expect(claimAfter.outcome).toBe('inactive');
    const item = await raw(`CHECKPOINT#${id(30)}`, 'CHECKPOINT');
    expect(item).toMatchObject({ status: 'available', attempts: 1, resourceGraph: '[{},[]]', resourcesStatus: { [`${SERVER}#s1`]: 'available' } });
    expect(item).not.toHaveProperty('GSI4PK');
    expect(item).not.toHaveProperty('leaseToken');
    expect(item).not.toHaveProperty('jobSteps');
    expect(await raw(`CHECKPOINT#${id(30)}`, 'CHECKPOINT#JOB')).toBeUndefined();
  });

  it('gives a lease back on release, so the next claim starts at once with the last error', async () => {
    // Prepare
    await protecting(40);
    await store().jobs.claim(id(40), 'protecting', lease('a', '2026-11-25T12:00:00.000Z', '2026-11-25T12:02:00.000Z'));
    // Act
    await store().jobs.release(id(40), 'b', 'not mine');
    await store().jobs.release(id(40), 'a', 'the runtime running it stopped');
    const next = await store().jobs.claim(id(40), 'protecting', lease('c', '2026-11-25T12:00:30.000Z', '2026-11-25T12:02:30.000Z'));
    // Assess
    expect(next).toMatchObject({ outcome: 'claimed', item: { attempts: 2, lastError: 'the runtime running it stopped' } });
  });

  it('stops the worker of a job whose checkpoint was reset meanwhile: its job item went with the status change', async () => {
    // Prepare
    await protecting(50);
    await store().jobs.claim(id(50), 'protecting', lease('a', '2026-11-25T12:00:00.000Z', '2026-11-25T12:02:00.000Z'));
    // Act
    await store().transition(id(50), { from: ['protecting'], to: 'error', now: '2026-11-25T12:01:00.000Z' });
    const write = await outcome(store().jobs.setResource(id(50), 'a', `${SERVER}#s1`, 'available'));
    const finish = await outcome(store().jobs.finish(id(50), 'a', 'protecting', 'available'));
    // Assess
    expect([write, finish]).toEqual(['lease lost', 'lease lost']);
    expect(await raw(`CHECKPOINT#${id(50)}`, 'CHECKPOINT#JOB')).toBeUndefined();
    expect(await store().get(id(50))).toMatchObject({ status: 'error' });
  });

  it('keeps a restore job on its job item too, and a restore failed before its worker ran drops it', async () => {
    // Prepare
    const restores = dynamoRestoreStore(doc, table);
    const restore = (n: number) => ({
      id: id(n),
      projectId: 'p1',
      providerId: NOOP,
      checkpointId: id(30),
      restoreTarget: null,
      parameters: {},
      status: 'in_progress' as const,
      createdAt: '2026-11-25T12:00:00.000000',
      deadline: '2026-11-25T18:00:00.000000',
      attempts: 0,
      resourcesStatus: {},
      resourcesReason: {},
    });
    await restores.create(restore(60));
    await restores.create(restore(61));
    // Act
    await restores.jobs.claim(id(60), 'in_progress', lease('a', '2026-11-25T12:00:00.000Z', '2026-11-25T12:02:00.000Z'));
    await restores.jobs.setResource(id(60), 'a', `${SERVER}#s1`, 'restoring');
    const live = await restores.list({ projectId: 'p1', dir: 'desc', limit: 10, filters: {} } as never);
    await restores.jobs.finish(id(60), 'a', 'in_progress', 'success', undefined, undefined, { [`${SERVER}#s1`]: 'i-new' });
    await restores.jobs.claim(id(61), 'in_progress', lease('b', '2026-11-25T12:00:00.000Z', '2026-11-25T12:02:00.000Z'));
    await restores.fail(id(61), 'the request could not be sent');
    const lost = await outcome(restores.jobs.renew(id(61), 'b', '2026-11-25T12:03:00.000Z'));
    // Assess
    expect(live.find((r) => r.id === id(60))).toMatchObject({ resourcesStatus: { [`${SERVER}#s1`]: 'restoring' } });
    expect(await restores.get(id(60))).toMatchObject({
      status: 'success',
      resourcesStatus: { [`${SERVER}#s1`]: 'restoring' },
      resourcesMade: { [`${SERVER}#s1`]: 'i-new' },
    });
    expect(await raw(`RESTORE#${id(60)}`, 'RESTORE#JOB')).toBeUndefined();
    expect(lost).toBe('lease lost');
    expect(await raw(`RESTORE#${id(61)}`, 'RESTORE#JOB')).toBeUndefined();
  });

  it('carries over a job in flight during the upgrade: its lease, steps and progress on the checkpoint item are claimed, resumed and finished', async () => {
    // Prepare: a checkpoint as the layout before §18 left it, its worker crashed after the first of two servers.
    const resources = [
      { id: 's1', type: SERVER, name: 'vm1' },
      { id: 's2', type: SERVER, name: 'vm2' },
    ];
    const c = newCheckpoint(plan(resources), { created_by: 'manual' }, id(70), new Date('2026-11-25T12:00:00.000Z'), 3600);
    await store().create(c);
    const graph = packResourceGraph(
      await buildResourceGraph(
        resources.map((r) => ({ ...r, extraInfo: null })),
        async () => [],
      ),
    );
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { PK: `CHECKPOINT#${id(70)}`, SK: 'CHECKPOINT' },
        UpdateExpression: 'SET leaseToken = :t, leaseUntil = :u, attempts = :one, jobSteps = :steps, resourceGraph = :g, resourcesStatus = :rs',
        ExpressionAttributeValues: {
          ':t': 'old-worker',
          ':u': '2026-11-25T12:01:00.000Z',
          ':one': 1,
          ':g': graph,
          ':steps': { graph, [`${SERVER}#s1`]: { outcome: 'done', status: 'available' } },
          ':rs': { [`${SERVER}#s1`]: 'available', [`${SERVER}#s2`]: 'protecting' },
        },
      }),
    );
    const protectedIds: string[] = [];
    const plugin: ProtectionPlugin = {
      protect: async (_ctx, r) => void protectedIds.push(r.id),
      restore: async () => ({}),
      delete: async () => undefined,
      verify: async () => ({ ok: true, reason: 'checked' }),
    };
    const provider: Provider = {
      id: NOOP,
      name: 'test',
      description: '',
      bank: 'default',
      plugins: { [SERVER]: 'test' },
      extendedInfoSchema: { options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: {} },
    };
    const clock = fixedClock('2026-11-25T12:00:30.000Z');
    const timers = fakeTimers(clock);
    const events = recordingPublisher();
    const deps: WorkerDeps = {
      checkpoints: store(),
      restores: dynamoRestoreStore(doc, table),
      verifications: fakeVerificationStore(),
      providers: { all: () => [provider] },
      plugins: (name) => (name === 'test' ? plugin : undefined),
      dependentsOf: async () => [],
      bank: memoryBank(),
      events,
      services: recordingServices(),
      host: 'karbor',
      clock,
      timers,
      ids: { newId: sequentialIds('token-') },
      leaseSeconds: 120,
      log: () => undefined,
    };
    // Act: the sweep and a claim while the old worker's lease runs; then the new worker waits for it to lapse and resumes.
    const swept = (await dynamoActiveJobIndex(doc, table).list('2026-11-25T12:10:00.000Z', 100)).find((j) => j.id === id(70));
    const whileHeld = await store().jobs.claim(id(70), 'protecting', lease('x', '2026-11-25T12:00:30.000Z', '2026-11-25T12:02:30.000Z'));
    const shown = await store().get(id(70));
    const run = await protectCheckpoint(deps, id(70), () => 900_000, localEngine(timers.sleep));
    const oldWorkerWrite = await doc
      .send(
        new UpdateCommand({
          TableName: table,
          Key: { PK: `CHECKPOINT#${id(70)}`, SK: 'CHECKPOINT' },
          ConditionExpression: 'leaseToken = :t',
          UpdateExpression: 'SET resourcesStatus.#r = :s',
          ExpressionAttributeNames: { '#r': `${SERVER}#s2` },
          ExpressionAttributeValues: { ':t': 'old-worker', ':s': 'error' },
        }),
      )
      .then(
        () => 'written',
        (error) => (error instanceof ConditionalCheckFailedException ? 'refused' : Promise.reject(error)),
      );
    // Assess
    expect(swept).toMatchObject({ leaseToken: 'old-worker', leaseUntil: '2026-11-25T12:01:00.000Z' });
    expect(whileHeld).toMatchObject({ outcome: 'held', until: '2026-11-25T12:01:00.000Z' });
    expect(shown).toMatchObject({ status: 'protecting', resourcesStatus: { [`${SERVER}#s1`]: 'available', [`${SERVER}#s2`]: 'protecting' } });
    expect(run).toBe('finished');
    // Only the server the crashed worker had not finished is protected again.
    expect(protectedIds).toEqual(['s2']);
    expect(oldWorkerWrite).toBe('refused');
    const item = await raw(`CHECKPOINT#${id(70)}`, 'CHECKPOINT');
    expect(item).toMatchObject({
      status: 'available',
      attempts: 2,
      resourceGraph: graph,
      resourcesStatus: { [`${SERVER}#s1`]: 'available', [`${SERVER}#s2`]: 'available' },
    });
    for (const gone of ['leaseToken', 'leaseUntil', 'jobSteps', 'GSI4PK', 'GSI4SK']) expect(item).not.toHaveProperty(gone);
    expect(await raw(`CHECKPOINT#${id(70)}`, 'CHECKPOINT#JOB')).toBeUndefined();
    expect(events.events.map((e) => e.detailType)).toEqual(['Checkpoint Available']);
  });
});
