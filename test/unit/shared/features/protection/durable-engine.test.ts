import { type DurableContext, withDurableExecution } from '@aws/durable-execution-sdk-js';
import { type DurableOperation, LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import {
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  type DescribeSnapshotsCommandInput,
  DescribeVolumesCommand,
  EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { durableEngine } from '../../../../../shared/features/protection/adapters/durable-steps';
import { pluginRegistry } from '../../../../../shared/features/protection/adapters/plugin-registry';
import { tenantCredentials } from '../../../../../shared/features/protection/adapters/tenant-credentials';
import { ebsVolumePlugin } from '../../../../../shared/features/protection/adapters/plugins/ebs-volume';
import type { WorkerDeps } from '../../../../../shared/features/protection/model';
import { handleProtectionEvent } from '../../../../../shared/features/protection/use-cases';
import type { Provider } from '../../../../../shared/features/providers/model';
import { fakeCheckpointStore, fakeWorkerDeps, fixedClock, type memoryBank, recordingPublisher, sequentialIds } from '../../../../support/protection-fakes';

/**
 * The protection worker on the durable engine (adapters/durable-steps.ts),
 * run by the SDK's LocalDurableTestRunner with time skipping: every wait ends
 * the invocation and the runner invokes the handler again, which replays the
 * job from the top with the recorded step results, as Lambda does. EC2 is
 * aws-sdk-client-mock over a small in-memory EC2 (snapshots by id and tags).
 */

const ec2 = mockClient(EC2Client);
const PROVIDER: Provider = {
  id: 'prov-aws',
  name: 'aws',
  description: '',
  bank: 'default',
  plugins: { 'AWS::EC2::Volume': 'aws-ebs-volume' },
  extendedInfoSchema: { options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: {} },
};
const PLAN = {
  id: 'plan-1',
  projectId: 'p1',
  name: 'plan',
  description: null,
  providerId: PROVIDER.id,
  status: 'suspended',
  resources: [{ id: 'vol-1', type: 'AWS::EC2::Volume', name: 'data' }],
  parameters: {},
};
const EVENT = { 'detail-type': 'Checkpoint Requested', detail: { checkpoint_id: 'cp-1', project_id: 'p1' } };
const HOURS_3 = 3 * 3600;

/** EC2 as far as the EBS plugin sees it: snapshots with tags, pending for `pendingPolls` DescribeSnapshots by id, then `finalState`. */
const fakeEc2 = (opts: {
  pendingPolls: number;
  finalState?: 'completed' | 'error';
  throttleCreates?: number;
  signing?: (client: EC2Client) => Promise<void>;
}) => {
  const snapshots = new Map<string, Snapshot>();
  let polls = 0;
  let throttles = opts.throttleCreates ?? 0;
  // The mock answers before the SDK signs: `signing` sees each call's client, as signing would.
  const signs = async (getClient: () => unknown) => opts.signing?.(getClient() as EC2Client);
  ec2.on(DescribeVolumesCommand).callsFake(async (_input, getClient) => {
    await signs(getClient);
    return { Volumes: [{ VolumeId: 'vol-1', AvailabilityZone: 'eu-west-1a', VolumeType: 'gp3', Size: 8 }] };
  });
  ec2.on(CreateSnapshotCommand).callsFake(async (input, getClient) => {
    await signs(getClient);
    if (throttles > 0) {
      throttles -= 1;
      throw Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' });
    }
    const id = `snap-${snapshots.size + 1}`;
    snapshots.set(id, { SnapshotId: id, State: 'pending', Tags: input.TagSpecifications[0].Tags });
    return { SnapshotId: id };
  });
  ec2.on(DescribeSnapshotsCommand).callsFake(async (input: DescribeSnapshotsCommandInput, getClient) => {
    await signs(getClient);
    if (input.SnapshotIds) {
      polls += 1;
      const state = polls > opts.pendingPolls ? (opts.finalState ?? 'completed') : 'pending';
      return { Snapshots: input.SnapshotIds.map((id) => ({ ...snapshots.get(id), State: state, Progress: `${Math.min(99, polls)}%` })) };
    }
    // By tags: what this checkpoint made of the volume.
    const wanted = new Map((input.Filters ?? []).map((f) => [f.Name!.replace(/^tag:/, ''), f.Values![0]]));
    const tagged = [...snapshots.values()].filter((s) => [...wanted].every(([k, v]) => s.Tags?.some((t) => t.Key === k && t.Value === v)));
    return { Snapshots: tagged };
  });
  ec2.on(DeleteSnapshotCommand).callsFake((input) => void snapshots.delete(input.SnapshotId));
  return { snapshots, polls: () => polls };
};

/** The worker's ports over in-memory stores; the plugin is the real EBS plugin on the mocked client. */
const setup = () => {
  const checkpoints = fakeCheckpointStore();
  const clock = fixedClock();
  const events = recordingPublisher();
  const deps = fakeWorkerDeps({
    checkpoints,
    providers: { all: () => [PROVIDER] },
    plugins: (name) =>
      name === 'aws-ebs-volume'
        ? ebsVolumePlugin(new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), { projectTagKey: 'team' })
        : undefined,
    events,
    clock,
  });
  checkpoints.items.set('cp-1', newCheckpoint(PLAN, { created_by: 'manual' }, 'cp-1', clock.now(), 6 * 3600));
  return { deps, checkpoints, events, bank: deps.bank as ReturnType<typeof memoryBank> };
};

/**
 * The worker's handler as functions/protection/worker.ts builds it, made
 * again for every invocation: nothing survives in memory from one invocation
 * to the next (a sandbox that died while the job waited), only what the
 * stores and the durable execution recorded.
 */
const freshSandboxEachInvocation = (deps: () => WorkerDeps) => {
  let invocations = 0;
  const handler = (input: unknown, context: unknown) => {
    invocations += 1;
    const d = deps();
    const durable = withDurableExecution(async (event: typeof EVENT, ctx: DurableContext) =>
      handleProtectionEvent(d, event, () => 900_000, durableEngine(ctx)),
    );
    return (durable as (i: unknown, c: unknown) => Promise<unknown>)(input, nearItsDeadline(context));
  };
  return { handler, invocations: () => invocations };
};

/**
 * The invocation's context with under a second left. The SDK arms an in-process timer for a wait that
 * ends before the invocation does (with time skipped, every wait), and that timer could finish the
 * wait before the SDK suspended, so no fresh sandbox got tested (CI, 2026-12-07). With less time left
 * than the SDK needs to poll (MIN_REMAINING_TIME_TO_POLL_MS, 1 s), every wait suspends the invocation.
 */
const nearItsDeadline = (context: unknown) => Object.assign(Object.create(context as object) as object, { getRemainingTimeInMillis: () => 500 });

const waitedSeconds = (ops: DurableOperation[]) =>
  ops.filter((o) => o.getType() === 'WAIT').reduce((sum, o) => sum + (o.getWaitDetails()?.waitSeconds ?? 0), 0);

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());
beforeEach(() => ec2.reset());

describe('the protection worker on the durable engine', () => {
  it('protects a volume whose snapshot takes 3 hours: waits between polls, one CreateSnapshot, the checkpoint available', async () => {
    // Prepare: ~40 polls pending at 30 s growing to 5 min is more than 3 hours.
    const aws = fakeEc2({ pendingPolls: 40 });
    const { deps, checkpoints, events, bank } = setup();
    const sandbox = freshSandboxEachInvocation(() => ({ ...deps }));
    const runner = new LocalDurableTestRunner({ handlerFunction: sandbox.handler as never });
    // Act
    const execution = await runner.run({ payload: EVENT });
    // Assess
    expect(execution.getStatus()).toBe('SUCCEEDED');
    expect(execution.getResult()).toBe('finished');
    expect(waitedSeconds(execution.getOperations())).toBeGreaterThanOrEqual(HOURS_3);
    // Waits ended invocations; each later one replayed the job without repeating a finished step.
    expect(sandbox.invocations()).toBeGreaterThan(1);
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(1);
    // 41 polls, and the keys step's look at the completed snapshot (docs/decisions.md §27).
    expect(aws.polls()).toBe(42);
    const c = checkpoints.items.get('cp-1')!;
    expect(c.status).toBe('available');
    expect(c.resourcesStatus).toEqual({ 'AWS::EC2::Volume#vol-1': 'available' });
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/AWS::EC2::Volume#vol-1/snapshot.json')!).snapshot_id).toBe('snap-1');
    expect(events.events.map((e) => e.detailType)).toEqual(['Checkpoint Available']);
  });

  it('a worker that dies while the job waits resumes in a fresh sandbox without a second CreateSnapshot', async () => {
    // Prepare: the durable engine re-invokes after each wait; every invocation here builds its handler and deps anew.
    const aws = fakeEc2({ pendingPolls: 10 });
    const { deps, checkpoints } = setup();
    const sandbox = freshSandboxEachInvocation(() => ({ ...deps, ids: { newId: sequentialIds('other-token-') } }));
    const runner = new LocalDurableTestRunner({ handlerFunction: sandbox.handler as never });
    // Act
    const execution = await runner.run({ payload: EVENT });
    // Assess
    expect(execution.getStatus()).toBe('SUCCEEDED');
    expect(sandbox.invocations()).toBeGreaterThan(1);
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(1);
    expect([...aws.snapshots.keys()]).toEqual(['snap-1']);
    // The claim is a recorded step: replays hold the first lease's token, they do not claim again.
    expect(checkpoints.items.get('cp-1')!.attempts).toBe(1);
    expect(checkpoints.items.get('cp-1')!.status).toBe('available');
  });

  it('assumes the tenant role afresh in each invocation that calls EC2, and no step result holds the credentials', async () => {
    // Prepare: each AssumeRole answers a new session; the plugins are built per invocation, as deps.ts invocationPlugins does.
    const sts = mockClient(STSClient);
    let issued = 0;
    sts.on(AssumeRoleCommand).callsFake(() => {
      issued += 1;
      const Expiration = new Date('2999-01-01T00:00:00Z');
      return { Credentials: { AccessKeyId: `ASIATENANT${issued}`, SecretAccessKey: 'tenant-secret-key', SessionToken: 'tenant-session-token', Expiration } };
    });
    const signedWith: string[] = [];
    fakeEc2({ pendingPolls: 6, signing: async (client) => void signedWith.push((await client.config.credentials()).accessKeyId) });
    const { deps, checkpoints } = setup();
    const roleArn = 'arn:aws:iam::111111111111:role/tenant';
    const sandbox = freshSandboxEachInvocation(() => ({
      ...deps,
      plugins: pluginRegistry(tenantCredentials({ sts: new STSClient({ region: 'eu-west-1' }), roleArn, tagKey: 'team', clock: fixedClock() })),
    }));
    const runner = new LocalDurableTestRunner({ handlerFunction: sandbox.handler as never });
    // Act
    const execution = await runner.run({ payload: EVENT });
    // Assess: one session per invocation that reached EC2, each for p1 ...
    expect(execution.getStatus()).toBe('SUCCEEDED');
    expect(checkpoints.items.get('cp-1')!.status).toBe('available');
    expect(issued).toBeGreaterThan(1);
    expect(new Set(signedWith).size).toBe(issued);
    expect(new Set(sts.commandCalls(AssumeRoleCommand).map((c) => JSON.stringify(c.args[0].input.Tags)))).toEqual(new Set(['[{"Key":"team","Value":"p1"}]']));
    // ... and nothing of a session in the execution's history, where step results are kept.
    const history = JSON.stringify(execution.getHistoryEvents());
    expect(history).toContain('snap-1');
    for (const secret of ['ASIATENANT', 'tenant-secret-key', 'tenant-session-token']) expect(history).not.toContain(secret);
    sts.restore();
  });

  it('a snapshot that fails leaves no orphan: the checkpoint is error and its snapshot is deleted', async () => {
    // Prepare
    const aws = fakeEc2({ pendingPolls: 2, finalState: 'error' });
    const { deps, checkpoints, events } = setup();
    const sandbox = freshSandboxEachInvocation(() => ({ ...deps }));
    const runner = new LocalDurableTestRunner({ handlerFunction: sandbox.handler as never });
    // Act
    const execution = await runner.run({ payload: EVENT });
    // Assess
    expect(execution.getStatus()).toBe('SUCCEEDED');
    const c = checkpoints.items.get('cp-1')!;
    expect(c.status).toBe('error');
    expect(c.errorReason).toContain('snapshot snap-1 failed');
    expect(c.errorReason).not.toContain('left behind');
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((call) => call.args[0].input)).toEqual([{ SnapshotId: 'snap-1' }]);
    expect(aws.snapshots.size).toBe(0);
    expect(c.resourcesStatus).toEqual({ 'AWS::EC2::Volume#vol-1': 'error' });
    expect(events.events.map((e) => e.detailType)).toEqual(['Checkpoint Error']);
  });

  it('retries a throttled CreateSnapshot inside its step, with backoff, and the checkpoint finishes', async () => {
    // Prepare
    fakeEc2({ pendingPolls: 0, throttleCreates: 2 });
    const { deps, checkpoints } = setup();
    const sandbox = freshSandboxEachInvocation(() => ({ ...deps }));
    const runner = new LocalDurableTestRunner({ handlerFunction: sandbox.handler as never });
    // Act
    const execution = await runner.run({ payload: EVENT });
    // Assess
    expect(execution.getStatus()).toBe('SUCCEEDED');
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(3);
    const step = execution.getOperations().find((o) => o.getName() === 'snapshot')!;
    expect(step.getStepDetails()?.attempt).toBe(3);
    expect(checkpoints.items.get('cp-1')!.status).toBe('available');
  });
});

describe('the same job on the local engine (npm start)', () => {
  it('a process that dies while the job waits resumes after a restart from its recorded steps, without a second CreateSnapshot', async () => {
    // Prepare: the first process never wakes from its first wait (it died there).
    const aws = fakeEc2({ pendingPolls: 3 });
    const { deps, checkpoints } = setup();
    let waits = 0;
    let reached!: () => void;
    const atWait = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const never = () => {
      waits += 1;
      reached();
      return new Promise<void>(() => undefined);
    };
    void handleProtectionEvent({ ...deps, timers: { ...deps.timers, sleep: never } }, EVENT);
    await atWait;
    const recorded = checkpoints.items.get('cp-1')!.jobSteps!;
    // The restart sweep gives the dead process's lease back (use-cases.ts redeliverStalledJobs).
    await checkpoints.jobs.release('cp-1', checkpoints.jobs.tokens.get('cp-1')!.token, 'the runtime running it stopped');
    // Act: the restarted process, whose waits pass at once.
    const outcome = await handleProtectionEvent({ ...deps, timers: { ...deps.timers, sleep: async () => undefined } }, EVENT);
    // Assess
    expect(waits).toBe(1);
    expect(Object.keys(recorded)).toEqual(
      expect.arrayContaining(['graph', 'AWS::EC2::Volume#vol-1/snapshot', 'AWS::EC2::Volume#vol-1/record', 'AWS::EC2::Volume#vol-1/completed:poll-0']),
    );
    expect(outcome).toBe('finished');
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(1);
    expect([...aws.snapshots.keys()]).toEqual(['snap-1']);
    const c = checkpoints.items.get('cp-1')!;
    expect(c.status).toBe('available');
    expect(c.attempts).toBe(2);
    // A finished job drops its recorded steps.
    expect(c.jobSteps).toBeUndefined();
  });
});

describe('plugin calls per AWS service', () => {
  /** Protects four volumes (independent: the walk runs them in parallel) and returns the most EC2 calls that ran at once. */
  const mostAtOnce = async (pluginConcurrency: number) => {
    fakeEc2({ pendingPolls: 0 });
    let running = 0;
    let most = 0;
    const slow = (answer: () => unknown) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return answer();
    };
    ec2.on(DescribeVolumesCommand).callsFake(slow(() => ({ Volumes: [{ VolumeId: 'vol-x', AvailabilityZone: 'eu-west-1a', VolumeType: 'gp3', Size: 8 }] })));
    const { deps, checkpoints } = setup();
    const volumes = ['vol-1', 'vol-2', 'vol-3', 'vol-4'].map((id) => ({ id, type: 'AWS::EC2::Volume', name: id }));
    checkpoints.items.set('cp-1', newCheckpoint({ ...PLAN, resources: volumes }, { created_by: 'manual' }, 'cp-1', deps.clock.now(), 6 * 3600));
    await handleProtectionEvent({ ...deps, pluginConcurrency, timers: { ...deps.timers, sleep: async () => undefined } }, EVENT);
    expect(checkpoints.items.get('cp-1')!.status).toBe('available');
    return most;
  };

  it('runs at most KARBOR_PLUGIN_CONCURRENCY plugin steps of one service at once', async () => {
    expect(await mostAtOnce(1)).toBe(1);
    expect(await mostAtOnce(3)).toBe(3);
  });

  it('holds the limit over concurrent invocations of one runtime, though each invocation has deps of its own', async () => {
    // Prepare: two checkpoints of two volumes each, run at once by two invocations (as the worker builds them: its own plugins each).
    fakeEc2({ pendingPolls: 0 });
    let running = 0;
    let most = 0;
    ec2.on(DescribeVolumesCommand).callsFake(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return { Volumes: [{ VolumeId: 'vol-x', AvailabilityZone: 'eu-west-1a', VolumeType: 'gp3', Size: 8 }] };
    });
    const { deps, checkpoints } = setup();
    for (const id of ['cp-1', 'cp-2']) {
      const volumes = [`${id}-a`, `${id}-b`].map((v) => ({ id: v, type: 'AWS::EC2::Volume', name: v }));
      checkpoints.items.set(id, newCheckpoint({ ...PLAN, resources: volumes }, { created_by: 'manual' }, id, deps.clock.now(), 6 * 3600));
    }
    const invocation = () => ({ ...deps, pluginConcurrency: 1, timers: { ...deps.timers, sleep: async () => undefined } });
    // Act
    await Promise.all(['cp-1', 'cp-2'].map((id) => handleProtectionEvent(invocation(), { ...EVENT, detail: { ...EVENT.detail, checkpoint_id: id } })));
    // Assess
    expect([checkpoints.items.get('cp-1')!.status, checkpoints.items.get('cp-2')!.status]).toEqual(['available', 'available']);
    expect(most).toBe(1);
  });
});
