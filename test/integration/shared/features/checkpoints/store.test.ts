import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import type { Checkpoint } from '../../../../../shared/features/checkpoints/model';
import { dynamoCheckpointStore } from '../../../../../shared/features/checkpoints/store';
import { QuotaExceededError } from '../../../../../shared/kernel/errors';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { quotaUsageKey } from '../../../../../shared/features/quotas/transact';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { outcome } from '../../../../support/outcome';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const OTHER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const plan = (id: string, projectId = 'p1', providerId = NOOP) => ({
  id,
  projectId,
  name: id,
  description: null,
  providerId,
  status: 'suspended',
  resources: [],
  parameters: {},
});
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('checkpoint store (DynamoDB Local)', () => {
  let table: string;
  const { doc } = testClients();
  const store = () => dynamoCheckpointStore(doc, table);
  const put = async (n: number, at: string, over: Partial<Checkpoint> = {}, planId = 'plan-a', projectId = 'p1', providerId = NOOP) => {
    const c = { ...newCheckpoint(plan(planId, projectId, providerId), { created_by: 'manual' }, id(n), new Date(at), 3600), ...over };
    await store().create(c);
    return c;
  };

  beforeAll(async () => {
    table = await createTestTable('ckpt');
    await put(1, '2026-11-20T10:00:00.000Z');
    await put(2, '2026-11-21T10:00:00.000Z', {}, 'plan-b');
    await put(3, '2026-11-22T10:00:00.000Z');
    await put(4, '2026-11-23T10:00:00.000Z', { status: 'deleted' });
    await put(5, '2026-11-24T10:00:00.000Z', {}, 'plan-a', 'p2');
    await put(6, '2026-11-24T11:00:00.000Z', {}, 'plan-a', 'p1', OTHER);
  });

  const ids = (cs: Checkpoint[]) => cs.map((c) => Number(c.id.slice(-3)));

  it("lists a project's checkpoints of a provider newest first, without deleted ones", async () => {
    // Act
    const all = await store().list({ providerId: NOOP, projectId: 'p1', dir: 'desc', limit: 10 });
    // Assess
    expect(ids(all)).toEqual([3, 2, 1]);
  });

  it('pages after a marker in both directions', async () => {
    // Prepare
    const marker = (await store().get(id(2)))!;
    // Act
    const desc = await store().list({ providerId: NOOP, projectId: 'p1', dir: 'desc', limit: 10, after: marker });
    const asc = await store().list({ providerId: NOOP, projectId: 'p1', dir: 'asc', limit: 1, after: marker });
    // Assess
    expect(ids(desc)).toEqual([1]);
    expect(ids(asc)).toEqual([3]);
  });

  it('filters by plan and by an inclusive date range', async () => {
    // Act
    const byPlan = await store().list({ providerId: NOOP, projectId: 'p1', planIds: ['plan-a'], dir: 'desc', limit: 10 });
    const twoPlans = await store().list({ providerId: NOOP, projectId: 'p1', planIds: ['plan-a', 'plan-b'], dir: 'asc', limit: 2 });
    const range = await store().list({ providerId: NOOP, projectId: 'p1', startDate: '2026-11-21', endDate: '2026-11-22', dir: 'desc', limit: 10 });
    const planRange = await store().list({
      providerId: NOOP,
      projectId: 'p1',
      planIds: ['plan-a'],
      startDate: '2026-11-21',
      endDate: '2026-11-30',
      dir: 'desc',
      limit: 10,
    });
    // Assess
    expect(ids(byPlan)).toEqual([3, 1]);
    expect(ids(twoPlans)).toEqual([1, 2]);
    expect(ids(range)).toEqual([3, 2]);
    expect(ids(planRange)).toEqual([3]);
  });

  it('lists every project of a provider for all_tenants', async () => {
    // Act
    const all = await store().list({ providerId: NOOP, dir: 'desc', limit: 10 });
    // Assess
    expect(ids(all)).toEqual([5, 3, 2, 1]);
  });

  it('moves status only from the given statuses; an expired protect counts as error', async () => {
    // Prepare
    await put(10, '2026-11-25T10:00:00.000Z');
    // Act
    const early = await outcome(store().transition(id(10), { from: ['available', 'error'], to: 'deleting', now: '2026-11-25T10:30:00.000Z' }));
    const late = await store().transition(id(10), {
      from: ['available', 'error'],
      to: 'deleting',
      now: '2026-11-25T11:30:00.000Z',
      deadline: '2026-11-25T17:30:00.000Z',
    });
    const unknown = await outcome(store().transition(id(99), { from: ['available'], to: 'error', now: '2026-11-25T11:30:00.000Z' }));
    // Assess
    expect(early).toBe('condition lost');
    expect(late).toMatchObject({ id: id(10), status: 'deleting' });
    expect(await store().get(id(10))).toMatchObject({ status: 'deleting', deadline: '2026-11-25T17:30:00.000Z', attempts: 0 });
    expect(unknown).toBe('condition lost');
  });

  it('leases a job to one worker at a time, records progress for the holder only, and unlists it once deleted', async () => {
    // Prepare
    await put(11, '2026-11-25T10:00:00.000Z', { status: 'deleting' });
    const lease = (token: string, now: string, until: string) => ({ token, now, until });
    // Act
    const first = await store().jobs.claim(id(11), 'deleting', lease('a', '2026-11-25T10:00:00.000Z', '2026-11-25T10:16:00.000Z'));
    const second = await store().jobs.claim(id(11), 'deleting', lease('b', '2026-11-25T10:01:00.000Z', '2026-11-25T10:17:00.000Z'));
    await store().jobs.setResource(id(11), 'a', 'T#x', 'error', 'broke');
    const intruder = await store()
      .jobs.setResource(id(11), 'b', 'T#x', 'deleted')
      .then(
        () => 'written',
        () => 'refused',
      );
    const afterExpiry = await store().jobs.claim(id(11), 'deleting', lease('c', '2026-11-25T10:20:00.000Z', '2026-11-25T10:36:00.000Z'));
    const staleFinish = await outcome(store().jobs.finish(id(11), 'a', 'deleting', 'deleted'));
    const finished = await outcome(store().jobs.finish(id(11), 'c', 'deleting', 'deleted'));
    const wrongStatus = await store().jobs.claim(id(11), 'deleting', lease('d', '2026-11-25T11:00:00.000Z', '2026-11-25T11:16:00.000Z'));
    // Assess
    expect(first.outcome).toBe('claimed');
    expect(second.outcome).toBe('held');
    expect(intruder).toBe('refused');
    expect(afterExpiry).toMatchObject({ outcome: 'claimed', item: { attempts: 2, resourcesStatus: { 'T#x': 'error' }, resourcesReason: { 'T#x': 'broke' } } });
    expect(staleFinish).toBe('lease lost');
    expect(finished).toBe('done');
    expect(wrongStatus.outcome).toBe('inactive');
    expect((await store().get(id(11)))!.status).toBe('deleted');
    expect(ids(await store().list({ providerId: NOOP, projectId: 'p1', dir: 'desc', limit: 50 }))).not.toContain(11);
  });

  it('renews a lease for its holder only, and says until when a held job is leased', async () => {
    // Prepare
    await put(61, '2026-11-25T10:00:00.000Z');
    const lease = (token: string, now: string, until: string) => ({ token, now, until });
    await store().jobs.claim(id(61), 'protecting', lease('a', '2026-11-25T10:00:00.000Z', '2026-11-25T10:02:00.000Z'));
    // Act
    const renewed = await outcome(store().jobs.renew(id(61), 'a', '2026-11-25T10:03:30.000Z'));
    const intruder = await outcome(store().jobs.renew(id(61), 'b', '2026-11-25T11:00:00.000Z'));
    const afterOldEnd = await store().jobs.claim(id(61), 'protecting', lease('b', '2026-11-25T10:02:30.000Z', '2026-11-25T10:04:30.000Z'));
    const afterRenewedEnd = await store().jobs.claim(id(61), 'protecting', lease('c', '2026-11-25T10:03:31.000Z', '2026-11-25T10:05:31.000Z'));
    // Assess
    expect(renewed).toBe('done');
    expect(intruder).toBe('lease lost');
    expect(afterOldEnd).toMatchObject({ outcome: 'held', until: '2026-11-25T10:03:30.000Z' });
    expect(afterRenewedEnd).toMatchObject({ outcome: 'claimed', item: { attempts: 2 } });
  });

  it("keeps the local job engine's step results on the job for its lease holder, hands them to the next claim, and drops them once finished", async () => {
    // Prepare
    await put(62, '2026-11-25T10:00:00.000Z');
    const lease = (token: string, now: string, until: string) => ({ token, now, until });
    await store().jobs.claim(id(62), 'protecting', lease('a', '2026-11-25T10:00:00.000Z', '2026-11-25T10:02:00.000Z'));
    // Act
    await store().jobs.saveStep(id(62), 'a', 'graph', '[{},[]]');
    await store().jobs.saveStep(id(62), 'a', 'AWS::EC2::Volume#vol-1/snapshot', { snapshot_id: 'snap-1', found: false });
    const intruder = await store()
      .jobs.saveStep(id(62), 'b', 'AWS::EC2::Volume#vol-1/record', null)
      .catch((error: Error) => error);
    await store().jobs.release(id(62), 'a', 'the runtime running it stopped');
    const next = await store().jobs.claim(id(62), 'protecting', lease('c', '2026-11-25T10:01:00.000Z', '2026-11-25T10:03:00.000Z'));
    await store().jobs.finish(id(62), 'c', 'protecting', 'available');
    // Assess
    expect(intruder).toBeInstanceOf(Error);
    expect((intruder as Error).message).toContain('taken over');
    expect(next).toMatchObject({
      outcome: 'claimed',
      item: { jobSteps: { graph: '[{},[]]', 'AWS::EC2::Volume#vol-1/snapshot': { snapshot_id: 'snap-1', found: false } } },
    });
    expect((await store().get(id(62)))?.jobSteps).toBeUndefined();
  });

  it('refuses to create the same id twice and removes only an untouched protecting checkpoint', async () => {
    // Prepare
    const c = await put(12, '2026-11-25T10:00:00.000Z');
    // Act / Assess
    await expect(store().create(c)).rejects.toThrow();
    await store().transition(id(12), { from: ['protecting'], to: 'available', now: '2026-11-25T10:00:00.000Z' });
    await expect(store().remove(id(12), 'protecting')).rejects.toThrow();
    expect(await store().get(id(12))).toBeDefined();
  });

  it('counts checkpoints against the project quota in the create transaction, and frees one when deleting starts', async () => {
    // Prepare
    const make = (n: number) => ({ ...newCheckpoint(plan('plan-q', 'quota-p'), {}, id(n), new Date('2026-11-25T10:00:00.000Z'), 3600) });
    const usage = async () => (await doc.send(new GetCommand({ TableName: table, Key: quotaUsageKey('quota-p', 'checkpoints') }))).Item?.in_use;
    await store().create(make(20), undefined, 2);
    await store().create(make(21), undefined, 2);
    // Act
    const third = store().create(make(22), undefined, 2);
    await expect(third).rejects.toThrow(new QuotaExceededError('Maximum number of checkpoints allowed (2) exceeded'));
    const written = await store().get(id(22));
    await store().transition(id(20), { from: ['protecting'], to: 'available', now: '2026-11-25T10:00:00.000Z' });
    await store().transition(id(20), { from: ['available'], to: 'deleting', now: '2026-11-25T10:00:00.000Z', quotaDelta: -1 });
    await store().create(make(22), undefined, 2);
    // Assess
    expect(written).toBeUndefined();
    expect(await usage()).toBe(2);
  });

  it("fills a page past DynamoDB's 1 MB Query page, and finds one plan's checkpoints among many for all_tenants", async () => {
    // Prepare: 40 checkpoints of ~30 KB (1.2 MB) in one project; the oldest is of another plan, in another project.
    const BIG = 'big-provider';
    const pad = 'x'.repeat(30 * 1024);
    const rare = await put(100, '2026-11-01T00:00:00.000Z', {}, 'plan-rare', 'p-other', BIG);
    const many: Checkpoint[] = [];
    for (let n = 0; n < 40; n += 1) {
      many.push(await put(200 + n, `2026-11-02T00:00:${String(n).padStart(2, '0')}.000Z`, { extraInfo: { pad } }, 'plan-big', 'p-big', BIG));
    }
    // Act
    const all = await store().list({ providerId: BIG, projectId: 'p-big', dir: 'asc', limit: 1000 });
    const ofPlan = await store().list({ providerId: BIG, projectId: 'p-big', planIds: ['plan-big'], dir: 'desc', limit: 1000 });
    const rareAcrossTenants = await store().list({ providerId: BIG, planIds: ['plan-rare'], dir: 'desc', limit: 1 });
    const firstPage = await store().list({ providerId: BIG, projectId: 'p-big', planIds: ['plan-big'], dir: 'desc', limit: 30 });
    const secondPage = await store().list({ providerId: BIG, projectId: 'p-big', planIds: ['plan-big'], dir: 'desc', limit: 30, after: firstPage[29] });
    // Assess
    expect(all.map((c) => c.id)).toEqual(many.map((c) => c.id));
    expect(ofPlan).toHaveLength(40);
    expect(rareAcrossTenants.map((c) => c.id)).toEqual([rare.id]);
    expect([...firstPage, ...secondPage].map((c) => c.id)).toEqual(many.map((c) => c.id).reverse());
  });

  describe('copies', () => {
    const copyOf = (n: number, source: Checkpoint, at = '2026-11-25T10:00:00.000Z'): Checkpoint => ({
      ...newCheckpoint(plan('plan-c'), { source_checkpoint_id: source.id, destination: NOOP }, id(n), new Date(at), 3600),
      status: 'wait_copying',
    });
    const logOf = (c: Checkpoint) => ({
      id: `log-${c.id}`,
      projectId: c.projectId,
      operationType: 'copy',
      checkpointId: c.id,
      planId: c.planId,
      providerId: c.providerId,
      restoreId: null,
      scheduledOperationId: null,
      status: 'wait_copying',
      startedAt: c.createdAt,
      endedAt: null,
      errorInfo: null,
      extraInfo: null,
    });
    const usage = async () => (await doc.send(new GetCommand({ TableName: table, Key: quotaUsageKey('p1', 'checkpoints') }))).Item?.in_use as number;

    it('writes copies with their guards, logs and quota count together; a second write for the same source is a conflict', async () => {
      // Prepare
      const source = await put(101, '2026-11-25T09:00:00.000Z', { status: 'available' }, 'plan-c');
      const before = await usage();
      const first = copyOf(102, source);
      // Act
      await store().createCopies([{ copy: first, log: logOf(first), sourceId: source.id, destination: NOOP }], -1);
      const second = copyOf(103, source);
      const raced = store().createCopies([{ copy: second, log: logOf(second), sourceId: source.id, destination: NOOP }], -1);
      // Assess
      await expect(raced).rejects.toThrow('Another request is copying these checkpoints at the same time; retry.');
      expect(await store().copiesOf([source.id, id(999)], NOOP)).toEqual(new Map([[source.id, first.id]]));
      expect((await store().get(first.id))!.status).toBe('wait_copying');
      expect(await store().get(second.id)).toBeUndefined();
      expect(await usage()).toBe(before + 1);
    });

    it('replaces a copy only while it is still in error', async () => {
      // Prepare
      const source = await put(111, '2026-11-25T09:00:00.000Z', { status: 'available' }, 'plan-c');
      const failed = copyOf(112, source);
      await store().createCopies([{ copy: failed, log: logOf(failed), sourceId: source.id, destination: NOOP }], -1);
      await store().transition(failed.id, { from: ['wait_copying'], to: 'error', now: '2026-11-25T10:01:00.000Z' });
      const next = copyOf(113, source);
      // Act
      await store().createCopies([{ copy: next, log: logOf(next), sourceId: source.id, destination: NOOP, replaces: failed.id }], -1);
      const stale = copyOf(114, source);
      const again = store().createCopies([{ copy: stale, log: logOf(stale), sourceId: source.id, destination: NOOP, replaces: failed.id }], -1);
      // Assess
      await expect(again).rejects.toThrow('Another request is copying these checkpoints at the same time; retry.');
      expect(await store().copiesOf([source.id], NOOP)).toEqual(new Map([[source.id, next.id]]));
    });

    it('copies nothing over the quota', async () => {
      // Prepare
      const source = await put(121, '2026-11-25T09:00:00.000Z', { status: 'available' }, 'plan-c');
      const inUse = await usage();
      const copies = [copyOf(122, source), copyOf(123, source)].map((c, i) => ({ copy: c, log: logOf(c), sourceId: `${source.id}-${i}`, destination: NOOP }));
      // Act
      const over = store().createCopies(copies, inUse + 1);
      // Assess
      await expect(over).rejects.toThrow(new QuotaExceededError(`Maximum number of checkpoints allowed (${inUse + 1}) exceeded`));
      expect(await store().get(id(122))).toBeUndefined();
      expect(await usage()).toBe(inUse);
    });

    it('puts a copy on the index of running jobs and marks it copied only for the lease holder', async () => {
      // Prepare
      const source = await put(131, '2026-11-25T09:00:00.000Z', { status: 'available' }, 'plan-c');
      const copy = copyOf(132, source);
      await store().createCopies([{ copy, log: logOf(copy), sourceId: source.id, destination: NOOP }], -1);
      await store().transition(copy.id, { from: ['wait_copying'], to: 'copying', now: '2026-11-25T10:01:00.000Z' });
      const claim = await store().jobs.claim(copy.id, 'copying', { token: 'tok', now: '2026-11-25T10:02:00.000Z', until: '2026-11-25T10:04:00.000Z' });
      // Act
      const stranger = await outcome(store().markCopied(copy.id, 'other'));
      await store().markCopied(copy.id, 'tok');
      // Assess
      expect(claim.outcome).toBe('claimed');
      expect(stranger).toBe('lease lost');
      const raw = (await doc.send(new GetCommand({ TableName: table, Key: { PK: `CHECKPOINT#${copy.id}`, SK: 'CHECKPOINT' } }))).Item!;
      expect(raw.GSI4PK).toEqual(expect.stringMatching(/^JOBS_ACTIVE#/));
      expect(raw.extraInfo).toEqual({ source_checkpoint_id: source.id, destination: NOOP, copy_status: 'finished' });
    });

    it('writes the keys into extra_info beside its other keys, only for the lease holder (docs/decisions.md §27)', async () => {
      // Prepare
      const source = await put(133, '2026-11-25T09:00:00.000Z', { status: 'available' }, 'plan-c');
      const copy = copyOf(134, source);
      await store().createCopies([{ copy, log: logOf(copy), sourceId: source.id, destination: NOOP }], -1);
      await store().transition(copy.id, { from: ['wait_copying'], to: 'copying', now: '2026-11-25T10:01:00.000Z' });
      await store().jobs.claim(copy.id, 'copying', { token: 'tok', now: '2026-11-25T10:02:00.000Z', until: '2026-11-25T10:04:00.000Z' });
      const keys = { bank: 'aws-owned', resources: { 'AWS::EC2::Volume#vol-1': { 'snap-1': 'arn:aws:kms:us-east-1:1:key/k', 'snap-2': null } } };
      // Act
      const stranger = await outcome(store().setKeys(copy.id, 'other', keys));
      await store().setKeys(copy.id, 'tok', keys);
      // Assess
      expect(stranger).toBe('lease lost');
      const shown = await store().get(copy.id);
      expect(shown?.extraInfo).toEqual({ source_checkpoint_id: source.id, destination: NOOP, keys });
    });
  });
});
