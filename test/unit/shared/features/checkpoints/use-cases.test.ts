import { checkpointView } from '../../../../../shared/features/checkpoints/views';
import { protectionServiceOver } from '../../../../../shared/features/checkpoints/deps';
import type { CheckpointDeps } from '../../../../../shared/features/checkpoints/model';
import {
  copyCheckpoints,
  createCheckpoint,
  deleteCheckpoint,
  findCheckpoint,
  listCheckpoints,
  resetCheckpointState,
} from '../../../../../shared/features/checkpoints/use-cases';
import { ForbiddenError, InvalidInputError, NotFoundError, QuotaExceededError, ServiceError } from '../../../../../shared/kernel/errors';
import { parseListOptions } from '../../../../../shared/kernel/list-options';
import { checkpointListRules } from '../../../../../shared/features/checkpoints/model';
import type { Provider } from '../../../../../shared/features/providers/model';
import { catalogOf } from '../../../../../shared/features/destinations/model';
import { fakeCheckpointStore, fakePlans, fixedClock, recordingPublisher, sequentialIds } from '../../../../support/protection-fakes';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const PROVIDER = {
  id: NOOP,
  name: 'No-Op',
  description: '',
  bank: 'default',
  plugins: {},
  extendedInfoSchema: { options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: {} },
} as Provider;
const PLAN = {
  id: '11111111-1111-4111-8111-111111111111',
  projectId: 'p1',
  name: 'plan',
  description: null,
  providerId: NOOP,
  status: 'suspended',
  resources: [{ id: 'r1', type: 'OS::Nova::Server', name: 'vm', extra_info: { availability_zone: 'az1' } }],
  parameters: {},
};
const ADMIN = { userId: 'admin', projectId: 'p1', roles: ['admin'], isAdmin: true };
const MEMBER = { userId: 'alice', projectId: 'p1', roles: [], isAdmin: false };
const STRANGER = { userId: 'bob', projectId: 'p2', roles: [], isAdmin: false };

const setup = (publishError?: Error) => {
  const checkpoints = fakeCheckpointStore();
  const clock = fixedClock();
  const events = recordingPublisher(publishError);
  const deps: CheckpointDeps = {
    log: () => undefined,
    checkpoints,
    plans: fakePlans([PLAN]),
    providers: { all: () => [PROVIDER] },
    destinations: catalogOf([
      { name: 'dr', region: 'eu-west-1', isDefault: true },
      { name: 'vault', region: 'us-west-2', accountId: '222222222222', isDefault: false },
    ]),
    events,
    clock,
    ids: { newId: sequentialIds() },
    deadlineSeconds: 3600,
    quota: { checkpointLimit: async () => -1 },
  };
  return { deps, checkpoints, clock, events };
};

describe('createCheckpoint', () => {
  it('writes a protecting checkpoint with the plan snapshot and asks the worker', async () => {
    // Prepare
    const { deps, checkpoints, events } = setup();
    // Act
    const c = await createCheckpoint(deps, 'p1', NOOP, { planId: PLAN.id, extraInfo: { k: 'v' } });
    // Assess
    expect(checkpoints.items.get(c.id)).toMatchObject({ status: 'protecting', projectId: 'p1', planId: PLAN.id, deadline: '2026-11-25T13:00:00.000Z' });
    expect(c.protectionPlan.resources).toEqual([{ id: 'r1', type: 'OS::Nova::Server', name: 'vm', extra_info: '{"availability_zone": "az1"}' }]);
    expect(c.extraInfo).toEqual({ created_by: 'manual', k: 'v' });
    expect(events.events).toEqual([
      {
        detailType: 'Checkpoint Requested',
        detail: { checkpoint_id: c.id, project_id: 'p1', provider_id: NOOP, plan_id: PLAN.id, status: 'protecting', created_by: 'manual' },
      },
    ]);
  });

  it('answers 404 for a plan of another project and 400 for a plan of another provider', async () => {
    // Prepare
    const { deps } = setup();
    // Act / Assess
    await expect(createCheckpoint(deps, 'p2', NOOP, { planId: PLAN.id })).rejects.toThrow(new NotFoundError(`Plan ${PLAN.id} could not be found.`));
    await expect(createCheckpoint(deps, 'p1', '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35', { planId: PLAN.id })).rejects.toThrow(
      new InvalidInputError('Invalid plan: The parameter provider_id is not the same as the value in the plan.'),
    );
  });

  it('removes the checkpoint again and answers 400 when the worker cannot be asked', async () => {
    // Prepare
    const { deps, checkpoints } = setup(new Error('bus down'));
    // Act / Assess
    await expect(createCheckpoint(deps, 'p1', NOOP, { planId: PLAN.id })).rejects.toThrow(new InvalidInputError('Create checkpoint failed: bus down'));
    expect(checkpoints.items.size).toBe(0);
  });
});

describe('checkpoint state rules', () => {
  const created = async (deps: CheckpointDeps) => createCheckpoint(deps, 'p1', NOOP, { planId: PLAN.id });

  it('shows a protecting checkpoint past its deadline as error, and lets it be deleted', async () => {
    // Prepare
    const { deps, clock, checkpoints } = setup();
    const c = await created(deps);
    clock.advance(3601);
    // Act
    const view = checkpointView(checkpoints.items.get(c.id)!, clock.now().toISOString());
    await deleteCheckpoint(deps, ADMIN, NOOP, c.id);
    // Assess
    expect(view.status).toBe('error');
    expect(checkpoints.items.get(c.id)!.status).toBe('deleting');
  });

  it('refuses to delete a protecting checkpoint (400, Karbor text)', async () => {
    // Prepare
    const { deps } = setup();
    const c = await created(deps);
    // Act / Assess
    await expect(deleteCheckpoint(deps, ADMIN, NOOP, c.id)).rejects.toThrow(new InvalidInputError(`The checkpoint ${c.id} can not be deleted.`));
  });

  it('resets a protecting checkpoint: drops the running job lease, ends its log, keeps its quota slot', async () => {
    // Prepare: a worker holds the job
    const { deps, checkpoints } = setup();
    const c = await created(deps);
    await checkpoints.jobs.claim(c.id, 'protecting', { token: 'worker', now: '2026-11-25T12:00:00.000Z', until: '2026-11-25T12:02:00.000Z' });
    // Act
    await resetCheckpointState(deps, ADMIN, NOOP, c.id, 'error');
    const workerWrite = await checkpoints.jobs.setResource(c.id, 'worker', 'T#x', 'available').then(
      () => 'written',
      () => 'refused',
    );
    // Assess
    expect(checkpoints.items.get(c.id)!.status).toBe('error');
    expect(workerWrite).toBe('refused');
    expect(checkpoints.changes.at(-1)).toMatchObject({
      from: ['protecting'],
      log: { update: { id: c.operationLogId, changes: { status: 'error', errorInfo: 'The state was reset to error by an admin.' } } },
    });
    expect(checkpoints.changes.at(-1)?.quotaDelta).toBeUndefined();
  });

  it.each([
    ['deleting', 'error-deleting'],
    ['error-deleting', undefined],
  ])('resets a %s checkpoint to available, counting it against the quota again', async (status, logStatus) => {
    // Prepare
    const { deps, checkpoints } = setup();
    const c = await created(deps);
    checkpoints.items.get(c.id)!.status = status as 'deleting';
    // Act
    await resetCheckpointState(deps, ADMIN, NOOP, c.id, 'available');
    // Assess
    expect(checkpoints.items.get(c.id)!.status).toBe('available');
    expect(checkpoints.changes.at(-1)).toMatchObject({ from: [status], quotaDelta: 1 });
    expect(checkpoints.changes.at(-1)?.log?.update?.changes.status).toBe(logStatus);
  });

  it('puts the status back when the delete request cannot be published', async () => {
    // Prepare
    const { deps, checkpoints, events } = setup();
    const c = await created(deps);
    checkpoints.items.get(c.id)!.status = 'available';
    deps.events = {
      publish: async () => {
        throw new Error('bus down');
      },
    };
    // Act / Assess
    await expect(deleteCheckpoint(deps, ADMIN, NOOP, c.id)).rejects.toThrow(ServiceError);
    expect(checkpoints.items.get(c.id)!.status).toBe('available');
    expect(events.events).toHaveLength(1);
  });

  it('resets an available checkpoint to error and publishes the change', async () => {
    // Prepare
    const { deps, checkpoints, events } = setup();
    const c = await created(deps);
    checkpoints.items.get(c.id)!.status = 'available';
    // Act
    await resetCheckpointState(deps, ADMIN, NOOP, c.id, 'error');
    // Assess
    expect(checkpoints.items.get(c.id)!.status).toBe('error');
    expect(events.events.at(-1)).toMatchObject({ detailType: 'Checkpoint State Reset', detail: { status: 'error', previous_status: 'available' } });
  });

  it("finds with Karbor's 400/404/403 answers", async () => {
    // Prepare
    const { deps } = setup();
    const c = await created(deps);
    // Act / Assess
    await expect(findCheckpoint(deps, MEMBER, 'x', c.id)).rejects.toThrow(new InvalidInputError('Invalid provider id provided.'));
    await expect(findCheckpoint(deps, MEMBER, NOOP, 'x')).rejects.toThrow(new InvalidInputError('Invalid checkpoint id provided.'));
    await expect(findCheckpoint(deps, MEMBER, '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b36', c.id)).rejects.toThrow(NotFoundError);
    await expect(findCheckpoint(deps, STRANGER, NOOP, c.id)).rejects.toThrow(new ForbiddenError(`Access checkpoint ${c.id} is not allowed`));
    await expect(findCheckpoint(deps, MEMBER, NOOP, c.id)).resolves.toMatchObject({ id: c.id });
  });

  it('lists with end_date only counting alongside start_date, and refuses a bad date', async () => {
    // Prepare
    const { deps } = setup();
    await created(deps);
    const list = (q: Record<string, string>) => listCheckpoints(deps, MEMBER, NOOP, parseListOptions(q, checkpointListRules, false));
    // Act / Assess
    expect(await list({ end_date: '2000-01-01' })).toHaveLength(1);
    expect(await list({ start_date: '2000-01-01', end_date: '2000-01-01' })).toHaveLength(0);
    expect(await list({ start_date: '2026-11-25' })).toHaveLength(1);
    await expect(list({ start_date: '2026-02-30' })).rejects.toThrow(InvalidInputError);
  });
});

describe("protectionServiceOver (the scheduler's port)", () => {
  it("protects with the scheduler's extra info, lists the plan's checkpoints newest first and deletes", async () => {
    // Prepare
    const { deps, checkpoints, clock } = setup();
    const service = protectionServiceOver(deps);
    // Act
    const first = await service.protect({
      projectId: 'p1',
      providerId: NOOP,
      planId: PLAN.id,
      extraInfo: { created_by: 'operation-engine', trigger_id: 't', scheduled_operation_id: 's' },
    });
    clock.advance(60);
    const second = await service.protect({ projectId: 'p1', providerId: NOOP, planId: PLAN.id, extraInfo: { created_by: 'operation-engine' } });
    checkpoints.items.get(first.checkpointId)!.status = 'available';
    const listed = await service.listCheckpoints({ projectId: 'p1', providerId: NOOP, planId: PLAN.id });
    await service.deleteCheckpoint({ projectId: 'p1', providerId: NOOP, checkpointId: first.checkpointId });
    // Assess
    expect(checkpoints.items.get(first.checkpointId)!.extraInfo).toEqual({ created_by: 'operation-engine', trigger_id: 't', scheduled_operation_id: 's' });
    expect(listed.map((c) => c.id)).toEqual([second.checkpointId, first.checkpointId]);
    expect(listed[1]).toEqual({ id: first.checkpointId, status: 'available', createdAt: '2026-11-25T12:00:00.000Z' });
    expect(checkpoints.items.get(first.checkpointId)!.status).toBe('deleting');
  });

  it('lists every checkpoint of the plan, past one page of 1000, so retention sees the oldest', async () => {
    // Prepare
    const { deps, clock } = setup();
    const service = protectionServiceOver(deps);
    const made: string[] = [];
    for (let i = 0; i < 1003; i += 1) {
      made.push((await service.protect({ projectId: 'p1', providerId: NOOP, planId: PLAN.id, extraInfo: {} })).checkpointId);
      clock.advance(1);
    }
    // Act
    const listed = await service.listCheckpoints({ projectId: 'p1', providerId: NOOP, planId: PLAN.id });
    // Assess
    expect(listed.map((c) => c.id)).toEqual([...made].reverse());
  });
});

describe('copyCheckpoints', () => {
  /** `n` available checkpoints of PLAN, a minute apart, oldest first. */
  const protectedPlan = async (n: number) => {
    const ctx = setup();
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const c = await createCheckpoint(ctx.deps, 'p1', NOOP, { planId: PLAN.id });
      ctx.checkpoints.items.get(c.id)!.status = 'available';
      ids.push(c.id);
      ctx.clock.advance(60);
    }
    ctx.events.events.length = 0;
    return { ...ctx, ids };
  };

  it('copies each available source once into a wait_copying checkpoint with its log, and asks the worker for each', async () => {
    // Prepare
    const { deps, checkpoints, events, ids } = await protectedPlan(2);
    checkpoints.items.get(ids[0])!.resourceGraph = '[{"n": 1}, {}]';
    // Act
    const result = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id, parameters: { 'OS::Nova::Server': { mode: 'x' } } });
    // Assess
    expect(result.pairs.map((p) => p.checkpoint_protect_id)).toEqual(ids);
    const copies = result.pairs.map((p) => checkpoints.items.get(p.checkpoint_copy_id)!);
    expect(copies.map((c) => c.status)).toEqual(['wait_copying', 'wait_copying']);
    expect(copies[0]).toMatchObject({
      projectId: 'p1',
      providerId: NOOP,
      planId: PLAN.id,
      resourceGraph: '[{"n": 1}, {}]',
      extraInfo: { source_checkpoint_id: ids[0], destination: NOOP },
      parameters: { 'OS::Nova::Server': { mode: 'x' } },
    });
    expect(copies[0].operationLogId).toEqual(expect.any(String));
    expect(result.parameters).toEqual({ 'OS::Nova::Server': { mode: 'x' } });
    expect(events.events.map((e) => [e.detailType, e.detail.checkpoint_id, e.detail.source_checkpoint_id])).toEqual([
      ['Checkpoint Copy Requested', copies[0].id, ids[0]],
      ['Checkpoint Copy Requested', copies[1].id, ids[1]],
    ]);
  });

  it('skips sources not available, finished copies and sources whose copy is still alive; replaces a failed copy', async () => {
    // Prepare
    const { deps, checkpoints, ids } = await protectedPlan(3);
    checkpoints.items.get(ids[2])!.status = 'error';
    const first = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    const [alive, failed] = first.pairs.map((p) => checkpoints.items.get(p.checkpoint_copy_id)!);
    alive.status = 'available';
    alive.extraInfo.copy_status = 'finished';
    failed.status = 'error';
    // Act
    const again = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    // Assess
    expect(first.pairs.map((p) => p.checkpoint_protect_id)).toEqual([ids[0], ids[1]]);
    expect(again.pairs.map((p) => p.checkpoint_protect_id)).toEqual([ids[1]]);
    expect(checkpoints.guards.get(`${ids[1]}#${NOOP}`)).toBe(again.pairs[0].checkpoint_copy_id);
  });

  it('copies each source to each destination the plan names, once per destination (docs/decisions.md §25)', async () => {
    // Prepare
    const { deps, checkpoints, events, ids } = await protectedPlan(2);
    deps.plans = fakePlans([{ ...PLAN, destinations: ['dr', 'vault'] }]);
    // Act
    const first = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    const again = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    // Assess
    const made = first.pairs.map((p) => [p.checkpoint_protect_id, checkpoints.items.get(p.checkpoint_copy_id)!.extraInfo.destination]);
    expect(made).toEqual([
      [ids[0], 'dr'],
      [ids[0], 'vault'],
      [ids[1], 'dr'],
      [ids[1], 'vault'],
    ]);
    expect(first.pairs.map((p) => checkpoints.items.get(p.checkpoint_copy_id)!.providerId)).toEqual([NOOP, NOOP, NOOP, NOOP]);
    expect(checkpoints.guards.get(`${ids[0]}#vault`)).toBe(first.pairs[1].checkpoint_copy_id);
    expect(events.events.map((e) => e.detail.destination)).toEqual(['dr', 'vault', 'dr', 'vault']);
    expect(again.pairs).toEqual([]);
  });

  it('copies a plan without destinations to its provider itself for No-Op plugins, else to the configured default', async () => {
    // Prepare
    const { deps, checkpoints } = await protectedPlan(1);
    // Act
    const noop = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    deps.providers = { all: () => [{ ...PROVIDER, plugins: { 'OS::Nova::Server': 'aws-ec2-instance' } }] };
    const moving = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    // Assess
    expect(checkpoints.items.get(noop.pairs[0].checkpoint_copy_id)!.extraInfo.destination).toBe(NOOP);
    expect(checkpoints.items.get(moving.pairs[0].checkpoint_copy_id)!.extraInfo.destination).toBe('dr');
  });

  it('refuses a plan whose destination is no longer configured, copying nothing', async () => {
    // Prepare
    const { deps, checkpoints } = await protectedPlan(1);
    deps.plans = fakePlans([{ ...PLAN, destinations: ['gone'] }]);
    const before = checkpoints.items.size;
    // Act
    const res = copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    // Assess
    await expect(res).rejects.toThrow(new InvalidInputError('Invalid input received: The destination gone is not configured.'));
    expect(checkpoints.items.size).toBe(before);
  });

  it('copies at most 20 sources a call, the oldest first; the next call takes the rest', async () => {
    // Prepare
    const { deps, ids } = await protectedPlan(22);
    // Act
    const first = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    const second = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    // Assess
    expect(first.pairs.map((p) => p.checkpoint_protect_id)).toEqual(ids.slice(0, 20));
    expect(second.pairs.map((p) => p.checkpoint_protect_id)).toEqual(ids.slice(20));
  });

  it('copies nothing over the checkpoint quota', async () => {
    // Prepare
    const { deps, checkpoints } = await protectedPlan(2);
    deps.quota = { checkpointLimit: async () => 3 };
    const before = checkpoints.items.size;
    // Act
    const res = copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    // Assess
    await expect(res).rejects.toThrow(new QuotaExceededError('Maximum number of checkpoints allowed (3) exceeded'));
    expect(checkpoints.items.size).toBe(before);
  });

  it('answers with the copies when their work requests cannot be sent: the sweep sends them', async () => {
    // Prepare
    const { deps, checkpoints } = await protectedPlan(1);
    deps.events = recordingPublisher(new Error('bus down'));
    const logged: Record<string, unknown>[] = [];
    deps.log = (e) => void logged.push(e);
    // Act
    const result = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    // Assess
    expect(result.pairs).toHaveLength(1);
    expect(checkpoints.items.get(result.pairs[0].checkpoint_copy_id)!.status).toBe('wait_copying');
    expect(logged).toEqual([expect.objectContaining({ message: 'requesting checkpoint copies failed', error: 'bus down' })]);
  });

  it('lets an admin reset a copy being made, ending its copy log', async () => {
    // Prepare
    const { deps, checkpoints } = await protectedPlan(1);
    const result = await copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    const copy = checkpoints.items.get(result.pairs[0].checkpoint_copy_id)!;
    copy.status = 'copying';
    // Act
    await resetCheckpointState(deps, ADMIN, NOOP, copy.id, 'error');
    // Assess
    expect(checkpoints.items.get(copy.id)!.status).toBe('error');
    expect(checkpoints.changes.at(-1)).toMatchObject({
      from: ['copying'],
      to: 'error',
      log: { update: { id: copy.operationLogId, changes: { status: 'error', errorInfo: 'The state was reset to error by an admin.' } } },
    });
  });

  it("checks in Karbor's order: provider id, plan, the plan's provider, a checkpoint", async () => {
    // Prepare
    const { deps } = setup();
    // Act
    const badProvider = copyCheckpoints(deps, 'p1', 'nope', { planId: 'unknown' });
    const noPlan = copyCheckpoints(deps, 'p1', NOOP, { planId: 'unknown' });
    const otherProvider = copyCheckpoints(deps, 'p1', '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35', { planId: PLAN.id });
    const unprotected = copyCheckpoints(deps, 'p1', NOOP, { planId: PLAN.id });
    // Assess
    await expect(badProvider).rejects.toThrow(new InvalidInputError('Invalid input received: Invalid provider id provided.'));
    await expect(noPlan).rejects.toThrow(new NotFoundError('Plan unknown could not be found.'));
    await expect(otherProvider).rejects.toThrow(new InvalidInputError('Invalid input received: The provider id is not the same as the value in the plan.'));
    await expect(unprotected).rejects.toThrow(new InvalidInputError('Invalid input received: The plan has not been protected.'));
  });
});
