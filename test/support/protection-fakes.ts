import type { Bank } from '../../shared/kernel/ports';
import type { Checkpoint, CheckpointKeys, CheckpointQuery, CheckpointStore } from '../../shared/features/checkpoints/model';
import { ConditionLostError, ConflictError, QuotaExceededError } from '../../shared/kernel/errors';
import type { BusEvent, EventPublisher } from '../../shared/kernel/ports';
import { type Claim, type JobLease, type JobState, type JobStore, LeaseLostError } from '../../shared/features/jobs/model';
import type { PlanLookup, PlanSummary } from '../../shared/features/plans/model';
import type { Restore, RestoreQuery, RestoreStore } from '../../shared/features/restores/model';
import type { Verification } from '../../shared/features/verifications/model';
import type { WorkerDeps } from '../../shared/features/protection/model';

/** In-memory fakes of the protection ports, with the adapters' conditions. */

export const fakeJobs = <T extends JobState & { id: string }>(
  items: Map<string, T>,
): JobStore<T> & { tokens: Map<string, { token: string; until: string }> } => {
  const tokens = new Map<string, { token: string; until: string }>();
  const holds = (id: string, token: string) => tokens.get(id)?.token === token;
  return {
    tokens,
    async claim(id: string, active: string, lease: JobLease): Promise<Claim<T>> {
      const item = items.get(id);
      if (!item || item.status !== active) return { outcome: 'inactive', item };
      const held = tokens.get(id);
      if (held && held.until >= lease.now) return { outcome: 'held', item: structuredClone(item), until: held.until };
      tokens.set(id, { token: lease.token, until: lease.until });
      item.attempts += 1;
      return { outcome: 'claimed', item: structuredClone(item) };
    },
    async renew(id, token, until) {
      if (!holds(id, token)) throw new LeaseLostError(id);
      tokens.set(id, { token, until });
    },
    async setResource(id, token, key, status, reason) {
      if (!holds(id, token)) throw new LeaseLostError(id);
      const item = items.get(id)!;
      item.resourcesStatus[key] = status;
      if (reason === undefined) delete item.resourcesReason[key];
      else item.resourcesReason[key] = reason;
    },
    async saveStep(id, token, name, value) {
      if (!holds(id, token)) throw new LeaseLostError(id);
      const item = items.get(id)!;
      item.jobSteps = { ...(item.jobSteps ?? {}), [name]: structuredClone(value) };
    },
    async finish(id, token, from, to, reason, _log, made) {
      const item = items.get(id);
      if (!item || item.status !== from || !holds(id, token)) throw new LeaseLostError(id);
      (item as { status: string }).status = to;
      delete item.jobSteps;
      if (reason !== undefined) (item as { errorReason?: string }).errorReason = reason;
      if (made !== undefined && Object.keys(made).length > 0) item.resourcesMade = { ...made };
      tokens.delete(id);
    },
    async release(id, token, error) {
      if (!holds(id, token)) return;
      tokens.delete(id);
      items.get(id)!.lastError = error;
    },
  };
};

export const fakeCheckpointStore = () => {
  const items = new Map<string, Checkpoint>();
  const jobs = fakeJobs(items);
  /** Every accepted transition's change (its log and quota parts). */
  const changes: Parameters<CheckpointStore['transition']>[1][] = [];
  /** `<source>#<destination>` -> copy id: the copy guards. */
  const guards = new Map<string, string>();
  const store: CheckpointStore & {
    items: Map<string, Checkpoint>;
    jobs: typeof jobs;
    changes: typeof changes;
    guards: typeof guards;
    setGraph(id: string, token: string, g: string): Promise<void>;
    markCopied(id: string, token: string): Promise<void>;
    setKeys(id: string, token: string, keys: CheckpointKeys): Promise<void>;
    setManifestDigest(id: string, token: string, digest: string): Promise<void>;
    retractGood(c: Pick<Checkpoint, 'id'>): Promise<void>;
    retracted: string[];
  } = {
    items,
    jobs,
    changes,
    guards,
    async copiesOf(sourceIds, destination) {
      const found = new Map<string, string>();
      for (const id of sourceIds) {
        const copy = guards.get(`${id}#${destination}`);
        if (copy !== undefined) found.set(id, copy);
      }
      return found;
    },
    async createCopies(copies, quotaLimit) {
      const used = [...items.values()].filter((c) => c.status !== 'deleted' && c.status !== 'deleting').length;
      if (quotaLimit >= 0 && used + copies.length > quotaLimit) throw new QuotaExceededError(`Maximum number of checkpoints allowed (${quotaLimit}) exceeded`);
      for (const { sourceId, destination, replaces } of copies) {
        const guard = guards.get(`${sourceId}#${destination}`);
        const replaced = replaces === undefined ? undefined : items.get(replaces);
        if (guard !== replaces || (replaces !== undefined && replaced !== undefined && !['error', 'deleted'].includes(replaced.status))) {
          throw new ConflictError('Another request is copying these checkpoints at the same time; retry.');
        }
      }
      for (const { copy, sourceId, destination } of copies) {
        items.set(copy.id, structuredClone(copy));
        guards.set(`${sourceId}#${destination}`, copy.id);
      }
    },
    async markCopied(id, token) {
      if (jobs.tokens.get(id)?.token !== token) throw new LeaseLostError(id);
      items.get(id)!.extraInfo.copy_status = 'finished';
    },
    async setKeys(id, token, keys) {
      if (jobs.tokens.get(id)?.token !== token) throw new LeaseLostError(id);
      items.get(id)!.extraInfo.keys = structuredClone(keys);
    },
    async create(c) {
      if (items.has(c.id)) throw new Error('exists');
      items.set(c.id, structuredClone(c));
    },
    async get(id) {
      const c = items.get(id);
      return c ? structuredClone(c) : undefined;
    },
    async list(q: CheckpointQuery) {
      const key = (c: Checkpoint) => `${c.createdAt}#${c.id}`;
      const sign = q.dir === 'asc' ? 1 : -1;
      return [...items.values()]
        .filter((c) => c.status !== 'deleted' && c.providerId === q.providerId)
        .filter((c) => q.projectId === undefined || c.projectId === q.projectId)
        .filter((c) => !q.planIds || q.planIds.includes(c.planId))
        .filter((c) => q.startDate === undefined || (c.createdAt.slice(0, 10) >= q.startDate && c.createdAt.slice(0, 10) <= (q.endDate ?? '9999')))
        .filter((c) => !q.after || (sign > 0 ? key(c) > key(q.after) : key(c) < key(q.after)))
        .sort((a, b) => (key(a) < key(b) ? -sign : sign))
        .slice(0, q.limit)
        .map((c) => structuredClone(c));
    },
    async transition(id, change): Promise<Checkpoint> {
      const c = items.get(id);
      if (!c) throw new ConditionLostError(`Checkpoint ${id} is gone.`);
      const expired = c.status === 'protecting' && c.deadline < change.now && change.from.includes('error');
      if (!change.from.includes(c.status) && !expired) throw new ConditionLostError(`Checkpoint ${id} is ${c.status}.`);
      if (change.unlockedAt !== undefined && (c.legalHold || (c.lock && c.lock.until > change.unlockedAt)))
        throw new ConditionLostError(`Checkpoint ${id} is locked.`);
      c.status = change.to;
      if (change.deadline) {
        c.deadline = change.deadline;
        c.attempts = 0;
      }
      jobs.tokens.delete(id);
      delete c.lastError;
      changes.push(change);
      return structuredClone(c);
    },
    async remove(id, status) {
      if (items.get(id)?.status !== status) throw new ConditionLostError(`Checkpoint ${id} changed while it was being removed.`);
      items.delete(id);
    },
    async setGraph(id, token, graph) {
      if (jobs.tokens.get(id)?.token !== token) throw new Error('ConditionalCheckFailed');
      items.get(id)!.resourceGraph = graph;
    },
    retracted: [],
    // The plan's compliance item is the real store's (tested against DynamoDB Local): here the call is recorded.
    async retractGood(c) {
      store.retracted.push(c.id);
    },
    async setManifestDigest(id, token, digest) {
      if (jobs.tokens.get(id)?.token !== token) throw new Error('ConditionalCheckFailed');
      items.get(id)!.bankManifestDigest = digest;
    },
    // The use case checks the rules; the real store's conditions are tested against DynamoDB Local.
    async setLock(id, change) {
      const c = items.get(id);
      if (c?.status !== 'available') throw new ConditionLostError(`Checkpoint ${id} is not available.`);
      if (change.lock === null) delete c.lock;
      else if (change.lock) c.lock = change.lock;
      if (change.legalHold === true) c.legalHold = true;
      if (change.legalHold === false) delete c.legalHold;
      return structuredClone(c);
    },
  };
  return store;
};

export const fakeRestoreStore = () => {
  const items = new Map<string, Restore>();
  const jobs = fakeJobs(items);
  const store: RestoreStore & { items: Map<string, Restore>; jobs: typeof jobs } = {
    items,
    jobs,
    async create(r) {
      items.set(r.id, structuredClone(r));
    },
    async get(id) {
      const r = items.get(id);
      return r ? structuredClone(r) : undefined;
    },
    async list(q: RestoreQuery) {
      return [...items.values()].filter((r) => q.projectId === undefined || r.projectId === q.projectId).slice(0, q.limit);
    },
    async fail(id, reason) {
      const r = items.get(id);
      if (r?.status !== 'in_progress') throw new ConditionLostError(`Restore ${id} is no longer in progress.`);
      r.status = 'fail';
      r.errorReason = reason;
    },
  };
  return store;
};

/** The verification store's worker half: its jobs. */
export const fakeVerificationStore = () => {
  const items = new Map<string, Verification>();
  return { items, jobs: fakeJobs(items) };
};

export const recordingPublisher = (fail?: Error): EventPublisher & { events: BusEvent[] } => {
  const events: BusEvent[] = [];
  return {
    events,
    async publish(batch) {
      if (fail) throw fail;
      events.push(...batch);
    },
  };
};

export const memoryBank = (): Bank & { objects: Map<string, string> } => {
  const objects = new Map<string, string>();
  return {
    objects,
    put: async (k, b) => void objects.set(k, b),
    get: async (k) => objects.get(k),
    list: async (p) => [...objects.keys()].filter((k) => k.startsWith(p)).sort(),
    deletePrefix: async (p) => {
      for (const k of [...objects.keys()]) if (k.startsWith(p)) objects.delete(k);
    },
  };
};

export const fakePlans = (plans: PlanSummary[]): PlanLookup => ({
  getPlan: async (projectId, planId) => plans.find((p) => p.id === planId && p.projectId === projectId),
});

export const fixedClock = (start = '2026-11-25T12:00:00.000Z') => {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
};

/**
 * Worker timers on a fixedClock: `sleep` moves the clock on, firing each
 * `every` ticker whose interval passes on the way (and letting its work
 * settle), as real time would.
 */
export const fakeTimers = (clock: ReturnType<typeof fixedClock>) => {
  const tickers = new Set<{ ms: number; next: number; tick: () => void }>();
  const slept: number[] = [];
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    slept,
    tickers,
    async sleep(ms: number) {
      slept.push(ms);
      const end = clock.now().getTime() + ms;
      for (;;) {
        const due = [...tickers].sort((a, b) => a.next - b.next)[0];
        if (!due || due.next > end) break;
        clock.advance((due.next - clock.now().getTime()) / 1000);
        due.next += due.ms;
        due.tick();
        await settle();
      }
      clock.advance((end - clock.now().getTime()) / 1000);
    },
    every(ms: number, tick: () => void) {
      const ticker = { ms, next: clock.now().getTime() + ms, tick };
      tickers.add(ticker);
      return () => void tickers.delete(ticker);
    },
  };
};

/** A service store port that records reports (or fails them with `fail`). */
export const recordingServices = (fail?: Error) => {
  const reports: { binary: string; host: string; at: string }[] = [];
  return {
    reports,
    async report(binary: string, host: string, now: Date) {
      if (fail) throw fail;
      reports.push({ binary, host, at: now.toISOString() });
    },
  };
};

export const sequentialIds = (prefix = '00000000-0000-4000-8000-') => {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}${String(n).padStart(12, '0')}`;
  };
};

/**
 * The protection worker's ports over these fakes, for the unit tests of its
 * jobs: each port not given is a fresh fake (no dependents, a memory bank,
 * lease 120 s, token ids `token-…`); `providers` and `plugins` are the
 * test's own.
 */
export const fakeWorkerDeps = (
  given: Pick<WorkerDeps, 'providers' | 'plugins'> & Partial<Omit<WorkerDeps, 'clock'>> & { clock?: ReturnType<typeof fixedClock> },
): WorkerDeps => {
  const clock = given.clock ?? fixedClock();
  return {
    checkpoints: fakeCheckpointStore(),
    restores: fakeRestoreStore(),
    verifications: fakeVerificationStore(),
    dependentsOf: async () => [],
    bank: memoryBank(),
    events: recordingPublisher(),
    services: recordingServices(),
    host: 'karbor',
    timers: fakeTimers(clock),
    ids: { newId: sequentialIds('token-') },
    leaseSeconds: 120,
    log: () => undefined,
    ...given,
    clock,
  };
};
