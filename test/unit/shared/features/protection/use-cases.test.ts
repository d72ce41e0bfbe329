import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { deleteCheckpointData } from '../../../../../shared/features/protection/jobs/delete';
import { protectCheckpoint } from '../../../../../shared/features/protection/jobs/protect';
import { runRestore } from '../../../../../shared/features/protection/jobs/restore';
import type { WorkerDeps } from '../../../../../shared/features/protection/model';
import { handleProtectionEvent } from '../../../../../shared/features/protection/use-cases';
import { copyCheckpoint } from '../../../../../shared/features/protection/jobs/copy';
import { HEARTBEAT_EVENT } from '../../../../../shared/features/services/model';
import type { GraphResource, PluginContext, ProtectionPlugin } from '../../../../../shared/features/protection/plugins';
import type { Provider } from '../../../../../shared/features/providers/model';
import type { Restore } from '../../../../../shared/features/restores/model';
import { LeaseHeldError } from '../../../../../shared/features/jobs/model';
import {
  fakeCheckpointStore,
  fakeRestoreStore,
  fakeVerificationStore,
  fakeTimers,
  fixedClock,
  memoryBank,
  recordingPublisher,
  recordingServices,
  sequentialIds,
} from '../../../../support/protection-fakes';

const PROVIDER: Provider = {
  id: 'b766f37c-d011-4026-8228-28730d734a3f',
  name: 'test',
  description: '',
  bank: 'default',
  plugins: { 'OS::Nova::Server': 'test', 'OS::Cinder::Volume': 'test', 'OS::Glance::Image': 'test' },
  extendedInfoSchema: { options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: {} },
};

const PLAN = {
  id: 'plan-1',
  projectId: 'p1',
  name: 'plan',
  description: null,
  providerId: PROVIDER.id,
  status: 'suspended',
  resources: [{ id: 's1', type: 'OS::Nova::Server', name: 'vm' }],
  parameters: { 'OS::Nova::Server': { mode: 'fast' } },
};

/** A plugin that records calls and fails for the ids in `failing`. */
const recordingPlugin = (failing: Set<string> = new Set()) => {
  const calls: { op: string; id: string; parameters: Record<string, string> }[] = [];
  const made: string[] = [];
  const run = (op: string) => async (ctx: PluginContext, r: GraphResource) => {
    calls.push({ op, id: r.id, parameters: ctx.parameters });
    if (failing.has(r.id)) throw new Error(`${op} of ${r.id} broke`);
  };
  const plugin: ProtectionPlugin = {
    protect: async (ctx, r) => {
      await run('protect')(ctx, r);
      await ctx.bank.put('data.json', `{"id":"${r.id}"}`);
    },
    restore: async (ctx, r) => {
      await ctx.progress('restoring');
      await run('restore')(ctx, r);
      await ctx.progress('available');
      return { id: `new-${r.id}` };
    },
    delete: async (ctx, r) => run('delete')(ctx, r),
    // What a copy makes is made inside a step (as the AWS plugins make theirs): a replay never makes it twice.
    copy: async (ctx, r) => {
      await run('copy')(ctx, r);
      await ctx.steps.step('copy', async () => {
        made.push(`${ctx.checkpointId}:${r.id}`);
        await ctx.bank.put('copied.json', `{"from":"${ctx.copyOf!.checkpointId}","to":"${ctx.copyOf!.destination}"}`);
        return null;
      });
    },
    verify: async () => ({ ok: true, reason: 'checked' }),
  };
  return { plugin, calls, made };
};

const LEASE_SECONDS = 120;
/** What a fresh Lambda invocation of the worker (900 s timeout) has left. */
const FRESH = () => 900_000;

/** A promise the test settles by hand: a plugin call that runs as long as the test wants. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

const setup = (failing?: Set<string>) => {
  const checkpoints = fakeCheckpointStore();
  const restores = fakeRestoreStore();
  const clock = fixedClock();
  const events = recordingPublisher();
  const bank = memoryBank();
  const { plugin, calls, made } = recordingPlugin(failing);
  const logs: Record<string, unknown>[] = [];
  const timers = fakeTimers(clock);
  const services = recordingServices();
  const deps: WorkerDeps = {
    checkpoints,
    restores,
    verifications: fakeVerificationStore(),
    providers: { all: () => [PROVIDER] },
    plugins: (name) => (name === 'test' ? plugin : undefined),
    dependentsOf: async (_p, r) =>
      r.id === 's1'
        ? [
            { type: 'OS::Glance::Image', id: 'i1', name: 'img', extraInfo: null },
            { type: 'OS::Cinder::Volume', id: 'v1', name: 'vol', extraInfo: null },
          ]
        : [],
    bank,
    events,
    services,
    host: 'karbor',
    clock,
    timers,
    ids: { newId: sequentialIds('token-') },
    leaseSeconds: LEASE_SECONDS,
    log: (e) => void logs.push(e),
  };
  const checkpoint = newCheckpoint(PLAN, { created_by: 'manual' }, 'cp-1', clock.now(), 3600);
  checkpoints.items.set(checkpoint.id, checkpoint);
  return { deps, checkpoints, restores, clock, events, bank, calls, made, logs, timers, services };
};

describe('protectCheckpoint', () => {
  it('builds the graph, protects children before the parent with merged parameters, and ends available', async () => {
    // Prepare
    const { deps, checkpoints, calls, events, bank } = setup();
    // Act
    const outcome = await protectCheckpoint(deps, 'cp-1');
    // Assess
    const c = checkpoints.items.get('cp-1')!;
    expect(outcome).toBe('finished');
    expect(c.status).toBe('available');
    expect(JSON.parse(c.resourceGraph!)[1]).toEqual([['0x2', ['0x0', '0x1']]]);
    expect(calls.map((x) => x.id).slice(-1)).toEqual(['s1']);
    expect(calls.find((x) => x.id === 's1')!.parameters).toEqual({ mode: 'fast' });
    expect(c.resourcesStatus).toEqual({ 'OS::Nova::Server#s1': 'available', 'OS::Glance::Image#i1': 'available', 'OS::Cinder::Volume#v1': 'available' });
    expect(bank.objects.get('checkpoints/cp-1/OS::Nova::Server#s1/data.json')).toBe('{"id":"s1"}');
    // The record beside the data holds what a catalog import needs (docs/decisions.md §26).
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/checkpoint.json')!)).toEqual({
      version: 1,
      checkpoint: {
        id: 'cp-1',
        project_id: c.projectId,
        provider_id: c.providerId,
        plan_id: c.planId,
        status: 'available',
        protection_plan: c.protectionPlan,
        parameters: c.parameters,
        resource_graph: c.resourceGraph,
        extra_info: c.extraInfo,
        created_at: c.createdAt,
        bank_manifest_digest: c.bankManifestDigest,
        lock: null,
        legal_hold: false,
      },
    });
    expect(events.events).toEqual([
      {
        detailType: 'Checkpoint Available',
        detail: { checkpoint_id: 'cp-1', project_id: 'p1', provider_id: PROVIDER.id, plan_id: 'plan-1', status: 'available' },
      },
    ]);
  });

  it('marks a failing resource error, skips the parent that depends on it and ends error with the reasons', async () => {
    // Prepare
    const { deps, checkpoints, calls, events } = setup(new Set(['v1']));
    // Act
    await protectCheckpoint(deps, 'cp-1');
    // Assess
    const c = checkpoints.items.get('cp-1')!;
    expect(c.status).toBe('error');
    expect(calls.map((x) => x.id)).not.toContain('s1');
    expect(c.resourcesStatus['OS::Cinder::Volume#v1']).toBe('error');
    expect(c.resourcesReason).toEqual({
      'OS::Cinder::Volume#v1': 'protect of v1 broke',
      'OS::Nova::Server#s1': 'a resource it depends on failed',
    });
    expect(events.events[0].detailType).toBe('Checkpoint Error');
    expect(events.events[0].detail.reason).toContain('protect of v1 broke');
  });

  it('resumes after a crash: the retry skips what is already available', async () => {
    // Prepare
    const { deps, checkpoints, calls } = setup();
    const store = checkpoints;
    const realFinish = store.jobs.finish;
    store.jobs.finish = async () => {
      throw new Error('DynamoDB went away');
    };
    // Act
    await expect(protectCheckpoint(deps, 'cp-1')).rejects.toThrow('DynamoDB went away');
    const firstRun = calls.length;
    store.jobs.finish = realFinish;
    const outcome = await protectCheckpoint(deps, 'cp-1');
    // Assess
    expect(firstRun).toBe(3);
    expect(outcome).toBe('finished');
    expect(calls).toHaveLength(3);
    expect(store.items.get('cp-1')!.status).toBe('available');
    expect(store.items.get('cp-1')!.attempts).toBe(2);
  });

  it('finishes as error on the third failed attempt, the last the platform makes', async () => {
    // Prepare
    const { deps, checkpoints, events } = setup();
    deps.dependentsOf = async () => {
      throw new Error('discovery unavailable');
    };
    // Act
    await expect(protectCheckpoint(deps, 'cp-1')).rejects.toThrow('discovery unavailable');
    await expect(protectCheckpoint(deps, 'cp-1')).rejects.toThrow('discovery unavailable');
    const third = await protectCheckpoint(deps, 'cp-1');
    // Assess
    expect(third).toBe('finished');
    expect(checkpoints.items.get('cp-1')!.status).toBe('error');
    expect(checkpoints.items.get('cp-1')!.errorReason).toBe('gave up after 3 attempts: discovery unavailable');
    expect(events.events.map((e) => e.detailType)).toEqual(['Checkpoint Error']);
  });

  it("leaves a job whose lease ends after this attempt could wait to the platform's next retry", async () => {
    // Prepare
    const { deps, checkpoints, calls, timers } = setup();
    checkpoints.jobs.tokens.set('cp-1', { token: 'other', until: '2999-01-01T00:00:00.000Z' });
    // Act
    const attempt = protectCheckpoint(deps, 'cp-1', FRESH);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(LeaseHeldError);
    expect(timers.slept).toEqual([]);
    expect(calls).toHaveLength(0);
    expect(checkpoints.items.get('cp-1')!.status).toBe('protecting');
  });

  it("takes over a crashed worker's job once its lease lapses, resuming after the last finished resource", async () => {
    // Prepare
    const { deps, checkpoints, calls, clock, timers } = setup();
    const hang = gate();
    const plugin = deps.plugins('test')!;
    const working = plugin.protect;
    // The first worker dies inside the parent's plugin call: no release, no renewal after it.
    plugin.protect = async (ctx, r) => (r.id === 's1' ? hang.opened : working(ctx, r));
    void protectCheckpoint(deps, 'cp-1', FRESH);
    await new Promise((resolve) => setImmediate(resolve));
    timers.tickers.clear();
    const leaseEnd = checkpoints.jobs.tokens.get('cp-1')!.until;
    plugin.protect = working;
    // Lambda's first asynchronous retry, about a minute later.
    clock.advance(60);
    // Act
    const outcome = await protectCheckpoint(deps, 'cp-1', FRESH);
    // Assess
    expect(outcome).toBe('finished');
    expect(timers.slept).toEqual([Date.parse(leaseEnd) - Date.parse('2026-11-25T12:01:00.000Z') + 1000]);
    expect(calls.map((c) => c.id)).toEqual(['i1', 'v1', 's1']);
    const c = checkpoints.items.get('cp-1')!;
    expect(c.status).toBe('available');
    expect(c.attempts).toBe(2);
  });

  it('renews its lease on a timer during a long plugin call, so a duplicate delivery waits and then leaves the job to it', async () => {
    // Prepare
    const { deps, checkpoints, calls, timers } = setup();
    const slow = gate();
    const plugin = deps.plugins('test')!;
    const working = plugin.protect;
    plugin.protect = async (ctx, r) => {
      if (r.id === 's1') await slow.opened;
      return working(ctx, r);
    };
    const first = protectCheckpoint(deps, 'cp-1', FRESH);
    await new Promise((resolve) => setImmediate(resolve));
    // Act
    const duplicate = await protectCheckpoint(deps, 'cp-1', FRESH);
    const renewedUntil = checkpoints.jobs.tokens.get('cp-1')!.until;
    slow.open();
    const outcome = await first;
    // Assess
    expect(duplicate).toBe('held');
    expect(timers.slept).toHaveLength(1);
    expect(Date.parse(renewedUntil)).toBeGreaterThan(Date.parse('2026-11-25T12:00:00.000Z') + LEASE_SECONDS * 1000);
    expect(outcome).toBe('finished');
    expect(calls.map((c) => c.id)).toEqual(['i1', 'v1', 's1']);
    expect(checkpoints.items.get('cp-1')!.attempts).toBe(1);
  });

  it('stops without writing the result when another worker took the lease over during a plugin call', async () => {
    // Prepare
    const { deps, checkpoints, calls } = setup();
    const plugin = deps.plugins('test')!;
    const working = plugin.protect;
    plugin.protect = async (ctx, r) => {
      await working(ctx, r);
      if (r.id === 'i1') checkpoints.jobs.tokens.set('cp-1', { token: 'other', until: '2026-11-25T12:05:00.000Z' });
    };
    // Act
    const outcome = await protectCheckpoint(deps, 'cp-1', FRESH);
    // Assess
    expect(outcome).toBe('lost-lease');
    expect(calls.map((c) => c.id)).not.toContain('s1');
    expect(checkpoints.items.get('cp-1')!.resourcesStatus['OS::Glance::Image#i1']).toBe('protecting');
    expect(checkpoints.jobs.tokens.get('cp-1')!.token).toBe('other');
  });

  it('ignores a duplicate delivery of a finished job', async () => {
    // Prepare
    const { deps, calls } = setup();
    await protectCheckpoint(deps, 'cp-1');
    // Act
    const outcome = await protectCheckpoint(deps, 'cp-1');
    // Assess
    expect(outcome).toBe('inactive');
    expect(calls).toHaveLength(3);
  });

  it('finishes as error, without running plugins, a job past its deadline', async () => {
    // Prepare
    const { deps, checkpoints, calls, clock, events } = setup();
    clock.advance(3601);
    // Act
    await protectCheckpoint(deps, 'cp-1');
    // Assess
    expect(calls).toHaveLength(0);
    expect(checkpoints.items.get('cp-1')!.status).toBe('error');
    expect(checkpoints.items.get('cp-1')!.errorReason).toBe('the job did not finish before its deadline');
    expect(events.events[0].detailType).toBe('Checkpoint Error');
  });

  it('gives up after three attempts, keeping the last error as the reason', async () => {
    // Prepare
    const { deps, checkpoints, calls } = setup();
    Object.assign(checkpoints.items.get('cp-1')!, { attempts: 3, lastError: 'out of memory' });
    // Act
    await protectCheckpoint(deps, 'cp-1');
    // Assess
    expect(calls).toHaveLength(0);
    expect(checkpoints.items.get('cp-1')!.status).toBe('error');
    expect(checkpoints.items.get('cp-1')!.errorReason).toBe('gave up after 3 attempts: out of memory');
  });

  it('fails every resource of a type its provider has no plugin for', async () => {
    // Prepare
    const { deps, checkpoints } = setup();
    deps.plugins = () => undefined;
    // Act
    await protectCheckpoint(deps, 'cp-1');
    // Assess
    expect(checkpoints.items.get('cp-1')!.status).toBe('error');
    expect(checkpoints.items.get('cp-1')!.resourcesReason['OS::Glance::Image#i1']).toContain('no protection plugin for OS::Glance::Image');
  });
});

describe('protectCheckpoint: a failed checkpoint keeps nothing it made', () => {
  /** Protect fails for `v1`; delete fails for the ids in `undeletable`. */
  const failingSetup = (undeletable: string[]) => {
    const ctx = setup();
    const { plugin, calls } = recordingPlugin(new Set(['v1']));
    const deletes: string[] = [];
    ctx.deps.plugins = () => ({
      ...plugin,
      protect: plugin.protect,
      delete: async (_c, r) => {
        deletes.push(r.id);
        if (undeletable.includes(r.id)) throw new Error(`snapshot of ${r.id} is in use`);
      },
    });
    return { ...ctx, calls, deletes };
  };

  it('asks every plugin that ran to remove what it made, and marks what was available deleted', async () => {
    // Prepare
    const { deps, checkpoints, deletes } = failingSetup([]);
    // Act
    await protectCheckpoint(deps, 'cp-1');
    // Assess
    const c = checkpoints.items.get('cp-1')!;
    expect(c.status).toBe('error');
    // s1 never ran (its dependency failed): nothing of it to remove.
    expect(deletes.sort()).toEqual(['i1', 'v1']);
    expect(c.resourcesStatus).toEqual({ 'OS::Glance::Image#i1': 'deleted', 'OS::Cinder::Volume#v1': 'error', 'OS::Nova::Server#s1': 'error' });
    expect(c.errorReason).not.toContain('left behind');
  });

  it('names in the failure reason what could not be removed', async () => {
    // Prepare
    const { deps, checkpoints, events } = failingSetup(['i1']);
    // Act
    await protectCheckpoint(deps, 'cp-1');
    // Assess
    const c = checkpoints.items.get('cp-1')!;
    expect(c.errorReason).toContain('left behind: OS::Glance::Image#i1: snapshot of i1 is in use');
    expect(c.resourcesStatus['OS::Glance::Image#i1']).toBe('available');
    expect(events.events[0].detail.reason).toContain('left behind');
  });
});

describe('copyCheckpoint', () => {
  /** cp-1 protected (available, with its graph) and copy-1 of it, `wait_copying`, as the copy route writes it. */
  const copySetup = async (failing?: Set<string>) => {
    const ctx = setup(failing);
    await protectCheckpoint(ctx.deps, 'cp-1');
    const source = ctx.checkpoints.items.get('cp-1')!;
    const copy = {
      ...newCheckpoint(PLAN, {}, 'copy-1', ctx.clock.now(), 3600),
      status: 'wait_copying' as const,
      resourceGraph: source.resourceGraph,
      extraInfo: { source_checkpoint_id: 'cp-1', destination: PROVIDER.id },
      operationLogId: 'log-copy-1',
    };
    ctx.checkpoints.items.set('copy-1', copy);
    ctx.calls.length = 0;
    ctx.events.events.length = 0;
    return ctx;
  };

  it("moves the copy to copying with its log, copies every resource children first from the source, and ends available with Karbor's copy_status", async () => {
    // Prepare
    const { deps, checkpoints, calls, bank, events } = await copySetup();
    // Act
    const outcome = await copyCheckpoint(deps, 'copy-1');
    // Assess
    const c = checkpoints.items.get('copy-1')!;
    expect(outcome).toBe('finished');
    expect(checkpoints.changes[0]).toMatchObject({
      from: ['wait_copying'],
      to: 'copying',
      log: { update: { id: 'log-copy-1', changes: { status: 'copying' } } },
    });
    expect(c.status).toBe('available');
    expect(c.extraInfo).toEqual({ source_checkpoint_id: 'cp-1', destination: PROVIDER.id, copy_status: 'finished' });
    expect(calls.map((x) => `${x.op} ${x.id}`).slice(-1)).toEqual(['copy s1']);
    expect(calls.filter((x) => x.op === 'copy')).toHaveLength(3);
    expect(c.resourcesStatus).toEqual({ 'OS::Nova::Server#s1': 'available', 'OS::Glance::Image#i1': 'available', 'OS::Cinder::Volume#v1': 'available' });
    expect(bank.objects.get('checkpoints/copy-1/OS::Nova::Server#s1/copied.json')).toBe(`{"from":"cp-1","to":"${PROVIDER.id}"}`);
    expect(events.events.map((e) => [e.detailType, e.detail.checkpoint_id])).toEqual([['Checkpoint Available', 'copy-1']]);
    // Its own manifest and record beside its data (docs/decisions.md §26).
    expect(c.bankManifestDigest).toMatch(/^[0-9a-f]{64}$/);
    const record = JSON.parse(bank.objects.get('checkpoints/copy-1/checkpoint.json')!);
    expect(record).toMatchObject({
      version: 1,
      checkpoint: {
        id: 'copy-1',
        status: 'available',
        bank_manifest_digest: c.bankManifestDigest,
        extra_info: { source_checkpoint_id: 'cp-1', destination: PROVIDER.id, copy_status: 'finished' },
        lock: null,
        legal_hold: false,
      },
    });
  });

  it('resumes a copy whose worker was killed mid-copy without making anything twice', async () => {
    // Prepare
    const { deps, checkpoints, made } = await copySetup();
    const realSetResource = checkpoints.jobs.setResource;
    // The table goes away once the first resource's copy is made: the worker dies with the copy half done.
    checkpoints.jobs.setResource = async (...args) => {
      if (made.length > 0) throw new Error('DynamoDB went away');
      return realSetResource(...args);
    };
    // Act
    await expect(copyCheckpoint(deps, 'copy-1')).rejects.toThrow('DynamoDB went away');
    const firstAttempt = [...made];
    checkpoints.jobs.setResource = realSetResource;
    const outcome = await copyCheckpoint(deps, 'copy-1');
    // Assess
    // The children (copied side by side) were made; their parent had not started.
    expect(firstAttempt.sort()).toEqual(['copy-1:i1', 'copy-1:v1']);
    expect(outcome).toBe('finished');
    expect(checkpoints.items.get('copy-1')!.status).toBe('available');
    expect([...made].sort()).toEqual(['copy-1:i1', 'copy-1:s1', 'copy-1:v1']);
  });

  it('fails, without copying anything, a copy whose source is no longer available', async () => {
    // Prepare
    const { deps, checkpoints, calls } = await copySetup();
    checkpoints.items.get('cp-1')!.status = 'deleting';
    // Act
    await copyCheckpoint(deps, 'copy-1');
    // Assess
    const c = checkpoints.items.get('copy-1')!;
    expect(c.status).toBe('error');
    expect(c.errorReason).toBe('The checkpoint cp-1 to copy is not available.');
    expect(calls).toHaveLength(0);
  });

  it('fails each resource of a plugin that cannot copy', async () => {
    // Prepare
    const { deps, checkpoints, calls } = await copySetup();
    const plugin = deps.plugins('test')!;
    deps.plugins = (name) => (name === 'test' ? { ...plugin, copy: undefined } : undefined);
    // Act
    await copyCheckpoint(deps, 'copy-1');
    // Assess
    const c = checkpoints.items.get('copy-1')!;
    expect(c.status).toBe('error');
    expect(c.resourcesReason['OS::Cinder::Volume#v1']).toBe('the plugin of OS::Cinder::Volume cannot copy');
    expect(c.extraInfo.copy_status).toBeUndefined();
    expect(calls.filter((x) => x.op === 'copy')).toHaveLength(0);
  });

  it('is what a Checkpoint Copy Requested event runs', async () => {
    // Prepare
    const { deps, checkpoints } = await copySetup();
    // Act
    const outcome = await handleProtectionEvent(deps, { 'detail-type': 'Checkpoint Copy Requested', detail: { checkpoint_id: 'copy-1' } });
    // Assess
    expect(outcome).toBe('finished');
    expect(checkpoints.items.get('copy-1')!.status).toBe('available');
  });
});

describe('deleteCheckpointData', () => {
  it('asks the plugin of a resource that failed too (it may have left something), and skips what is already deleted', async () => {
    // Prepare
    const failing = new Set(['v1']);
    const { deps, checkpoints, calls } = setup(failing);
    await protectCheckpoint(deps, 'cp-1');
    failing.clear();
    const c = checkpoints.items.get('cp-1')!;
    c.status = 'deleting';
    c.resourcesStatus['OS::Glance::Image#i1'] = 'deleted';
    calls.length = 0;
    // Act
    await deleteCheckpointData(deps, 'cp-1');
    // Assess
    expect(calls.filter((x) => x.op === 'delete').map((x) => x.id)).toEqual(['v1', 's1']);
  });

  it('deletes each resource and the bank folder, ending deleted', async () => {
    // Prepare
    const { deps, checkpoints, calls, bank, events } = setup();
    await protectCheckpoint(deps, 'cp-1');
    checkpoints.items.get('cp-1')!.status = 'deleting';
    // Act
    await deleteCheckpointData(deps, 'cp-1');
    // Assess
    expect(checkpoints.items.get('cp-1')!.status).toBe('deleted');
    expect(calls.filter((x) => x.op === 'delete').map((x) => x.id)).toHaveLength(3);
    expect([...bank.objects.keys()]).toEqual([]);
    expect(events.events.map((e) => e.detailType)).toEqual(['Checkpoint Available', 'Checkpoint Deleted']);
  });

  it('ends error-deleting and keeps the bank data when a plugin fails', async () => {
    // Prepare
    const failing = new Set<string>();
    const { deps, checkpoints, bank } = setup(failing);
    await protectCheckpoint(deps, 'cp-1');
    checkpoints.items.get('cp-1')!.status = 'deleting';
    failing.add('i1');
    // Act
    await deleteCheckpointData(deps, 'cp-1');
    // Assess
    expect(checkpoints.items.get('cp-1')!.status).toBe('error-deleting');
    // Three resources' objects, the checkpoint's manifest and its record.
    expect(bank.objects.size).toBe(5);
  });
});

describe('runRestore', () => {
  const restoreOf = (clock: ReturnType<typeof fixedClock>): Restore => ({
    id: 'r-1',
    projectId: 'p1',
    providerId: PROVIDER.id,
    checkpointId: 'cp-1',
    restoreTarget: null,
    parameters: { 'OS::Nova::Server#s1': { restore_name: 'again' } },
    status: 'in_progress',
    createdAt: clock.now().toISOString(),
    deadline: new Date(clock.now().getTime() + 3600_000).toISOString(),
    attempts: 0,
    resourcesStatus: {},
    resourcesReason: {},
  });

  it('restores every resource, reporting per-resource status, and succeeds', async () => {
    // Prepare
    const { deps, restores, calls, clock, events } = setup();
    await protectCheckpoint(deps, 'cp-1');
    restores.items.set('r-1', restoreOf(clock));
    // Act
    await runRestore(deps, 'r-1');
    // Assess
    const r = restores.items.get('r-1')!;
    expect(r.status).toBe('success');
    expect(r.resourcesStatus).toEqual({ 'OS::Nova::Server#s1': 'available', 'OS::Glance::Image#i1': 'available', 'OS::Cinder::Volume#v1': 'available' });
    expect(calls.find((x) => x.op === 'restore' && x.id === 's1')!.parameters).toEqual({ restore_name: 'again' });
    // What each resource was restored as is kept with the final status and sent with the event.
    const restoredAs = { 'OS::Nova::Server#s1': 'new-s1', 'OS::Glance::Image#i1': 'new-i1', 'OS::Cinder::Volume#v1': 'new-v1' };
    expect(r.resourcesMade).toEqual(restoredAs);
    expect(events.events.at(-1)).toMatchObject({ detailType: 'Restore Succeeded', detail: { restore_id: 'r-1', status: 'success', restored_as: restoredAs } });
  });

  it("fails with the plugin's reason for the resource that broke", async () => {
    // Prepare
    const failing = new Set<string>();
    const { deps, restores, clock, events } = setup(failing);
    await protectCheckpoint(deps, 'cp-1');
    restores.items.set('r-1', restoreOf(clock));
    failing.add('i1');
    // Act
    await runRestore(deps, 'r-1');
    // Assess
    const r = restores.items.get('r-1')!;
    expect(r.status).toBe('fail');
    expect(r.resourcesStatus['OS::Glance::Image#i1']).toBe('error');
    expect(r.resourcesReason['OS::Glance::Image#i1']).toBe('restore of i1 broke');
    expect(r.resourcesReason['OS::Nova::Server#s1']).toBe('a resource it depends on failed');
    expect(events.events.at(-1)!.detailType).toBe('Restore Failed');
  });

  it('renews its lease on every progress report of a plugin', async () => {
    // Prepare
    const { deps, restores, clock } = setup();
    await protectCheckpoint(deps, 'cp-1');
    restores.items.set('r-1', restoreOf(clock));
    const leaseEnds: string[] = [];
    deps.plugins('test')!.restore = async (ctx) => {
      clock.advance(100);
      await ctx.progress('restoring');
      leaseEnds.push(restores.jobs.tokens.get('r-1')!.until);
      return {};
    };
    // Act
    await runRestore(deps, 'r-1');
    // Assess
    // The two children run in parallel (both 200 s in when they report), then the parent.
    expect(leaseEnds).toEqual(['2026-11-25T12:05:20.000Z', '2026-11-25T12:05:20.000Z', '2026-11-25T12:07:00.000Z']);
    expect(restores.items.get('r-1')!.status).toBe('success');
  });

  it('fails when the checkpoint has no graph', async () => {
    // Prepare
    const { deps, restores, clock } = setup();
    restores.items.set('r-1', restoreOf(clock));
    // Act
    await runRestore(deps, 'r-1');
    // Assess
    expect(restores.items.get('r-1')!.status).toBe('fail');
  });
});

describe('handleProtectionEvent', () => {
  it('routes each work event to its job and drops unknown or id-less events', async () => {
    // Prepare
    const { deps, checkpoints, logs } = setup();
    // Act
    const protect = await handleProtectionEvent(deps, { 'detail-type': 'Checkpoint Requested', detail: { checkpoint_id: 'cp-1' } });
    const noId = await handleProtectionEvent(deps, { 'detail-type': 'Restore Requested', detail: {} });
    const other = await handleProtectionEvent(deps, { 'detail-type': 'Checkpoint Available', detail: { checkpoint_id: 'cp-1' } });
    // Assess
    expect(protect).toBe('finished');
    expect(checkpoints.items.get('cp-1')!.status).toBe('available');
    expect(noId).toBe('ignored');
    expect(other).toBe('ignored');
    expect(logs.map((l) => l.message)).toEqual(expect.arrayContaining(['event without an id dropped', 'unexpected event dropped']));
  });

  it('reports the karbor-protection service row on every delivery', async () => {
    // Prepare
    const { deps, services } = setup();
    // Act
    await handleProtectionEvent(deps, { 'detail-type': 'Checkpoint Requested', detail: { checkpoint_id: 'cp-1' } });
    await handleProtectionEvent(deps, { 'detail-type': 'Other', detail: {} });
    // Assess
    expect(services.reports).toEqual([
      { binary: 'karbor-protection', host: 'karbor', at: '2026-11-25T12:00:00.000Z' },
      { binary: 'karbor-protection', host: 'karbor', at: '2026-11-25T12:00:00.000Z' },
    ]);
  });

  it("answers the minute's heartbeat by reporting only, logging nothing", async () => {
    // Prepare
    const { deps, services, logs } = setup();
    // Act
    const outcome = await handleProtectionEvent(deps, HEARTBEAT_EVENT);
    // Assess
    expect(outcome).toBe('ignored');
    expect(services.reports).toEqual([{ binary: 'karbor-protection', host: 'karbor', at: '2026-11-25T12:00:00.000Z' }]);
    expect(logs).toEqual([]);
  });

  it('runs the job when the service report fails, and logs the failure', async () => {
    // Prepare
    const { deps, checkpoints, logs } = setup();
    deps.services = recordingServices(new Error('table unavailable'));
    // Act
    const outcome = await handleProtectionEvent(deps, { 'detail-type': 'Checkpoint Requested', detail: { checkpoint_id: 'cp-1' } });
    // Assess
    expect(outcome).toBe('finished');
    expect(checkpoints.items.get('cp-1')!.status).toBe('available');
    expect(logs).toContainEqual({ message: 'reporting the protection service failed', error: 'table unavailable' });
  });
});
