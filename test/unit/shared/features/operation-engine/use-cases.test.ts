import { CheckpointLockedError } from '../../../../../shared/features/checkpoints/model';
import { fireTrigger } from '../../../../../shared/features/operation-engine/use-cases';
import type { FireTriggerDeps, Run } from '../../../../../shared/features/operation-engine/model';
import type { OperationLog } from '../../../../../shared/features/operation-logs/model';
import type { CheckpointSummary } from '../../../../../shared/features/checkpoints/model';
import type { LastRun, ScheduledOperation } from '../../../../../shared/features/scheduled-operations/model';
import { HEARTBEAT_EVENT, type Service } from '../../../../../shared/features/services/model';
import type { Trigger } from '../../../../../shared/features/triggers/model';
import { calendarRules } from '../../../../../shared/features/triggers/calendar';
import type { DrillOutcome } from '../../../../../shared/features/drills/model';

const P = 'proj';
const T = '11111111-1111-1111-1111-111111111111';
const cal = (rrule: string) => `BEGIN:VEVENT\nRRULE:${rrule}\nEND:VEVENT`;

/** In-memory fakes of every port fireTrigger uses. */
const world = (opts: {
  properties: Record<string, string>;
  now: string;
  type?: string;
  definition?: Record<string, string>;
  checkpoints?: CheckpointSummary[];
  disabled?: boolean;
  /** What a `verify` operation's drill answers (or throws). */
  drill?: DrillOutcome | Error;
}) => {
  const trigger: Trigger = {
    id: T,
    projectId: P,
    name: 't',
    type: 'time',
    properties: opts.properties,
    createdAt: '2026-01-01T00:00:00Z',
    scheduledFrom: '2026-01-01T00:00:00Z',
    operationCount: 1,
  };
  // What the trigger store holds from the next read on (a concurrent update or delete); default: `trigger`.
  const stored: { next?: Trigger | null } = {};
  let reads = 0;
  const rules: string[] = [];
  const op: ScheduledOperation = {
    id: 'op-1',
    projectId: P,
    userId: 'u',
    name: 'o',
    description: null,
    operationType: opts.type ?? 'protect',
    triggerId: T,
    operationDefinition: { provider_id: 'prov', plan_id: 'plan', ...(opts.definition ?? {}) },
    enabled: true,
    createdAt: '2026-01-01T00:00:00Z',
    lastRun: null,
  };
  const lastRuns: LastRun[] = [];
  const runs = new Map<string, Run>();
  const logs = new Map<string, OperationLog>();
  const protects: string[] = [];
  const deleted: string[] = [];
  const drills: string[] = [];
  const services: Service[] = [
    {
      id: 2,
      binary: 'karbor-operationengine',
      host: 'h',
      disabled: opts.disabled ?? false,
      disabledReason: opts.disabled ? 'maintenance' : null,
      reportCount: 0,
      updatedAt: null,
      createdAt: null,
    },
  ];
  let n = 0;
  const counted: string[] = [];
  const deps: FireTriggerDeps = {
    log: () => undefined,
    calendar: async () => calendarRules,
    triggers: {
      get: async (id) => {
        reads += 1;
        if (id !== T) return undefined;
        return reads > 1 && stored.next !== undefined ? (stored.next ?? undefined) : trigger;
      },
    },
    scheduler: {
      put: async (s) => void rules.push(`put ${s.triggerId} ${s.expression}`),
      remove: async (id) => void rules.push(`remove ${id}`),
    },
    operations: {
      listByTrigger: async () => [op],
      recordRun: async (_id, run) => void lastRuns.push(run),
    },
    runs: {
      begin: async (run, log) => {
        const key = `${run.operationId}#${run.occurrence}`;
        if (runs.has(key)) return false;
        runs.set(key, run);
        logs.set(log.id, log);
        return true;
      },
    },
    logs: {
      update: async (id, changes) => {
        const next = { ...logs.get(id)!, ...changes };
        logs.set(id, next);
        return next;
      },
    },
    services: { list: async () => services, report: async () => undefined, setDisabled: async () => services[0] },
    protection: {
      protect: async (req) => {
        protects.push(req.extraInfo.scheduled_operation_id);
        return { checkpointId: 'new-cp' };
      },
      listCheckpoints: async () => opts.checkpoints ?? [],
      deleteCheckpoint: async (req) => void deleted.push(req.checkpointId),
    },
    drills: {
      drill: async (req) => {
        drills.push(req.id);
        if (opts.drill instanceof Error) throw opts.drill;
        return opts.drill ?? { outcome: 'started', verificationId: 'v-1', checkpointId: 'cp-1', depth: 'basic' };
      },
    },
    limits: { minIntervalSeconds: 3600, minWindowSeconds: 900, maxWindowSeconds: 1800 },
    host: 'h',
    clock: { now: () => new Date(opts.now) },
    ids: { newId: () => `log-${++n}` },
    countRun: (outcome) => void counted.push(outcome),
  };
  return { deps, logs, protects, deleted, drills, rules, stored, trigger, lastRuns, counted };
};

const fire = (deps: FireTriggerDeps, time: string) => fireTrigger(deps, { trigger_id: T, project_id: P, time });

describe('fireTrigger', () => {
  it('runs a due occurrence and logs in_progress -> success with the checkpoint', async () => {
    // Prepare
    const w = world({ properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' }, now: '2026-11-25T03:00:40Z' });
    // Act
    const result = await fire(w.deps, '2026-11-25T03:00:00Z');
    // Assess
    expect(result).toEqual({ outcome: 'handled', occurrence: '2026-11-25T03:00:00.000Z', state: 'due', ran: 1, duplicates: 0 });
    expect(w.protects).toEqual(['op-1']);
    expect([...w.logs.values()][0]).toMatchObject({ status: 'success', checkpointId: 'new-cp', scheduledOperationId: 'op-1', operationType: 'protect' });
    expect(w.counted).toEqual(['ran']);
  });

  describe('a verify operation (a drill, docs/decisions.md §24)', () => {
    const daily = { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' };

    it('starts a drill and logs success with its checkpoint and verification, no protect', async () => {
      // Prepare
      const w = world({ properties: daily, now: '2026-11-25T03:00:40Z', type: 'verify' });
      // Act
      await fire(w.deps, '2026-11-25T03:00:00Z');
      // Assess
      const log = [...w.logs.values()][0];
      expect(w.drills).toEqual(['op-1']);
      expect(w.protects).toEqual([]);
      expect(log).toMatchObject({ status: 'success', operationType: 'verify', checkpointId: 'cp-1', errorInfo: null });
      expect(JSON.parse(log.extraInfo!)).toMatchObject({ checkpoint_id: 'cp-1', verification_id: 'v-1', depth: 'basic' });
      expect(w.counted).toEqual(['ran']);
    });

    it('logs a skipped drill with its reason and counts it skipped', async () => {
      // Prepare
      const reason = 'A drill of plan plan is running (verification v-0): this occurrence is skipped.';
      const w = world({ properties: daily, now: '2026-11-25T03:00:40Z', type: 'verify', drill: { outcome: 'skipped', reason } });
      // Act
      await fire(w.deps, '2026-11-25T03:00:00Z');
      // Assess
      expect([...w.logs.values()][0]).toMatchObject({ status: 'skipped', errorInfo: reason, checkpointId: null });
      expect(w.lastRuns.at(-1)).toMatchObject({ status: 'skipped' });
      expect(w.counted).toEqual(['skipped']);
    });

    it.each([
      [
        'a plan without an available checkpoint',
        { outcome: 'failed', reason: 'Plan plan has no available checkpoint to verify.' } as DrillOutcome,
        'Plan plan has no available checkpoint to verify.',
      ],
      ['a drill that throws', new Error('throttled'), 'throttled'],
    ])('logs failed with the reason for %s, never a crash', async (_why, drill, reason) => {
      // Prepare
      const w = world({ properties: daily, now: '2026-11-25T03:00:40Z', type: 'verify', drill });
      // Act
      const result = await fire(w.deps, '2026-11-25T03:00:00Z');
      // Assess
      expect(result).toMatchObject({ state: 'due', ran: 1 });
      expect([...w.logs.values()][0]).toMatchObject({ status: 'failed', errorInfo: reason });
      expect(w.counted).toEqual(['failed']);
    });
  });

  it("answers the minute's heartbeat by reporting the engine only", async () => {
    // Prepare
    const w = world({ properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' }, now: '2026-11-25T03:00:40Z' });
    const reports: string[] = [];
    w.deps.services.report = async (binary) => void reports.push(binary);
    // Act
    const result = await fireTrigger(w.deps, HEARTBEAT_EVENT);
    // Assess
    expect(result).toEqual({ outcome: 'ignored', reason: 'heartbeat' });
    expect(reports).toEqual(['karbor-operationengine']);
    expect([w.protects, w.rules, [...w.logs.values()]]).toEqual([[], [], []]);
  });

  it('shows the run on its operation as it starts and as it ends (last_run)', async () => {
    // Prepare
    const w = world({ properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' }, now: '2026-11-25T03:00:40Z' });
    // Act
    await fire(w.deps, '2026-11-25T03:00:00Z');
    // Assess
    const logId = [...w.logs.keys()][0];
    expect(w.lastRuns).toEqual([
      { time: '2026-11-25T03:00:40.000Z', status: 'in_progress', logId },
      { time: '2026-11-25T03:00:40.000Z', status: 'success', logId },
    ]);
  });

  it('a run whose last_run cannot be recorded still runs', async () => {
    // Prepare
    const w = world({ properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' }, now: '2026-11-25T03:00:40Z' });
    w.deps.operations.recordRun = async () => {
      throw new Error('throttled');
    };
    // Act
    const result = await fire(w.deps, '2026-11-25T03:00:00Z');
    // Assess
    expect(result).toMatchObject({ state: 'due', ran: 1 });
    expect([...w.logs.values()][0]).toMatchObject({ status: 'success' });
  });

  it.each([
    [
      'a minute cron cannot exclude (INTERVAL=2 days)',
      { format: 'calendar', pattern: cal('FREQ=DAILY;INTERVAL=2;BYHOUR=3;BYMINUTE=0'), start_time: '2026-11-24 00:00:00' },
      '2026-11-25T03:00:00Z',
      'not-an-occurrence',
    ],
    ['before start_time', { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-12-01 00:00:00' }, '2026-11-25T03:00:00Z', 'not-an-occurrence'],
    [
      'after end_time',
      { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', end_time: '2026-11-01 00:00:00' },
      '2026-11-25T03:00:00Z',
      'not-an-occurrence',
    ],
    ['past COUNT', { format: 'calendar', pattern: cal('FREQ=DAILY;COUNT=2'), start_time: '2026-11-20 03:00:00' }, '2026-11-25T03:00:00Z', 'not-an-occurrence'],
  ])('ignores a firing that is no occurrence: %s', async (_why, properties, time, reason) => {
    const w = world({ properties, now: time });
    const result = await fire(w.deps, time);
    expect(result).toMatchObject({ outcome: 'ignored', reason });
    expect(w.protects).toEqual([]);
    expect(w.logs.size).toBe(0);
  });

  describe('retiring rules that can fire for nothing more', () => {
    it.each([
      [
        'after end_time',
        { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', end_time: '2026-11-01 00:00:00' },
        '2026-11-25T03:00:00Z',
      ],
      ['past COUNT', { format: 'calendar', pattern: cal('FREQ=DAILY;COUNT=2'), start_time: '2026-11-20 03:00:00' }, '2026-11-25T03:00:00Z'],
    ])('removes the rule of a trigger with no occurrence left: %s', async (_why, properties, time) => {
      // Prepare
      const w = world({ properties, now: time });
      // Act
      const result = await fire(w.deps, time);
      // Assess
      expect(result).toEqual({ outcome: 'ignored', reason: 'not-an-occurrence', retired: true });
      expect(w.rules).toEqual([`remove ${T}`]);
    });

    it('runs the last occurrence, then removes the rule', async () => {
      // Prepare
      const w = world({
        properties: { format: 'calendar', pattern: cal('FREQ=DAILY;COUNT=3'), start_time: '2026-11-23 03:00:00' },
        now: '2026-11-25T03:00:20Z',
      });
      // Act
      const result = await fire(w.deps, '2026-11-25T03:00:00Z');
      // Assess
      expect(result).toEqual({ outcome: 'handled', occurrence: '2026-11-25T03:00:00.000Z', state: 'due', ran: 1, duplicates: 0, retired: true });
      expect(w.protects).toEqual(['op-1']);
      expect(w.rules).toEqual([`remove ${T}`]);
    });

    it('keeps the rule of a trigger with occurrences ahead, even one not yet started', async () => {
      // Prepare
      const live = world({ properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' }, now: '2026-11-25T03:00:20Z' });
      const early = world({ properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-12-01 00:00:00' }, now: '2026-11-25T03:00:20Z' });
      // Act
      await fire(live.deps, '2026-11-25T03:00:00Z');
      await fire(early.deps, '2026-11-25T03:00:00Z');
      // Assess
      expect([...live.rules, ...early.rules]).toEqual([]);
    });

    it('removes the rule of a deleted trigger, but not for a payload naming another project', async () => {
      // Prepare
      const gone = world({ properties: { format: 'crontab', pattern: '0 3 * * *' }, now: '2026-11-25T03:00:00Z' });
      const other = world({ properties: { format: 'crontab', pattern: '0 3 * * *' }, now: '2026-11-25T03:00:00Z' });
      const deletedId = '22222222-2222-2222-2222-222222222222';
      // Act
      const result = await fireTrigger(gone.deps, { trigger_id: deletedId, project_id: P, time: '2026-11-25T03:00:00Z' });
      await fireTrigger(other.deps, { trigger_id: T, project_id: 'other', time: '2026-11-25T03:00:00Z' });
      // Assess
      expect(result).toEqual({ outcome: 'ignored', reason: 'unknown-trigger', retired: true });
      expect(gone.rules).toEqual([`remove ${deletedId}`]);
      expect(other.rules).toEqual([]);
    });

    it('puts the rule back when an update gave the trigger a new schedule meanwhile', async () => {
      // Prepare: the firing reads the ended trigger; by the time the rule is removed an update extended it.
      const ended = { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', end_time: '2026-11-01 00:00:00' };
      const w = world({ properties: ended, now: '2026-11-25T03:00:00Z' });
      w.stored.next = {
        ...w.trigger,
        properties: { format: 'crontab', pattern: '0 4 * * *', start_time: '2026-01-01 00:00:00' },
        scheduledFrom: '2026-11-25T03:00:00Z',
      };
      // Act
      const result = await fire(w.deps, '2026-11-25T03:00:00Z');
      // Assess
      expect(result).toMatchObject({ retired: true });
      expect(w.rules).toEqual([`remove ${T}`, `put ${T} cron(0 4 * * ? *)`]);
    });
  });

  it('ignores an unknown trigger or another project', async () => {
    const w = world({ properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' }, now: '2026-11-25T03:00:00Z' });
    expect(await fireTrigger(w.deps, { trigger_id: T, project_id: 'other', time: '2026-11-25T03:00:00Z' })).toEqual({
      outcome: 'ignored',
      reason: 'unknown-trigger',
    });
  });

  it('finds a seconds-level occurrence inside the firing minute', async () => {
    const w = world({ properties: { format: 'calendar', pattern: cal('FREQ=DAILY'), start_time: '2026-01-01 03:00:37' }, now: '2026-11-25T03:00:05Z' });
    expect(await fire(w.deps, '2026-11-25T03:00:00Z')).toMatchObject({ occurrence: '2026-11-25T03:00:37.000Z', state: 'due' });
  });

  it('logs dropped_out_of_window when the window has passed, and runs nothing', async () => {
    const w = world({ properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00', window: '900' }, now: '2026-11-25T03:16:00Z' });
    expect(await fire(w.deps, '2026-11-25T03:00:00Z')).toMatchObject({ state: 'dropped_out_of_window', ran: 1 });
    expect(w.protects).toEqual([]);
    expect([...w.logs.values()][0]).toMatchObject({ status: 'dropped_out_of_window' });
    expect(w.lastRuns.map((r) => r.status)).toEqual(['dropped_out_of_window']);
    expect(w.counted).toEqual(['dropped']);
  });

  it('skips and logs runs while the operation engine is disabled', async () => {
    const w = world({
      properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' },
      now: '2026-11-25T03:00:10Z',
      disabled: true,
    });
    expect(await fire(w.deps, '2026-11-25T03:00:00Z')).toMatchObject({ state: 'skipped' });
    expect(w.protects).toEqual([]);
    expect([...w.logs.values()][0]).toMatchObject({ status: 'skipped', errorInfo: 'operation engine disabled: maintenance' });
    expect(w.counted).toEqual(['skipped']);
  });

  it('retention_protect keeps the newest max_backups available checkpoints and never the newest one by age', async () => {
    // Prepare: newest first is c5..c1 (c0 in error); all older than the retention
    const checkpoints = [1, 2, 3, 4, 5].map((i) => ({ id: `c${i}`, status: 'available', createdAt: `2026-0${i}-01T00:00:00Z` }));
    checkpoints.push({ id: 'c0', status: 'error', createdAt: '2025-01-01T00:00:00Z' });
    const w = world({
      properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' },
      now: '2026-11-25T03:00:10Z',
      type: 'retention_protect',
      definition: { max_backups: '3', retention_duration: '14' },
      checkpoints,
    });
    // Act
    await fire(w.deps, '2026-11-25T03:00:00Z');
    // Assess: by count c2, c1 go; by age every one but the newest (c5) goes
    expect(w.deleted.sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
    const log = [...w.logs.values()][0];
    expect(log.status).toBe('success');
    expect(JSON.parse(log.extraInfo!).retention).toEqual({ deleted: expect.arrayContaining(['c1', 'c2', 'c3', 'c4']) });
  });

  it('retention_protect counts locked checkpoints against max_backups but keeps them, also one locked after the list, and logs them', async () => {
    // Prepare: newest first c5..c1; c4 (within max_backups) and c2 locked as listed, c1 locked by the time it is deleted
    const checkpoints = [1, 2, 3, 4, 5].map((i) => ({ id: `c${i}`, status: 'available', createdAt: `2026-0${i}-01T00:00:00Z`, locked: i === 2 || i === 4 }));
    const w = world({
      properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' },
      now: '2026-11-25T03:00:10Z',
      type: 'retention_protect',
      definition: { max_backups: '2' },
      checkpoints,
    });
    const asked: string[] = [];
    w.deps.protection.deleteCheckpoint = async (req) => {
      asked.push(req.checkpointId);
      if (req.checkpointId === 'c1') throw new CheckpointLockedError('Checkpoint c1 is on legal hold.');
      w.deleted.push(req.checkpointId);
    };
    // Act
    await fire(w.deps, '2026-11-25T03:00:00Z');
    // Assess: c5 and c4 fill max_backups; of c3, c2, c1 only c3 goes
    expect(asked.sort()).toEqual(['c1', 'c3']);
    expect(w.deleted).toEqual(['c3']);
    const log = [...w.logs.values()][0];
    expect(log.status).toBe('success');
    expect(JSON.parse(log.extraInfo!).retention).toEqual({ deleted: ['c3'], kept_locked: ['c2', 'c1'] });
  });

  it('retention_protect with a bad max_backups still protects and fails the log', async () => {
    const w = world({
      properties: { format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01 00:00:00' },
      now: '2026-11-25T03:00:10Z',
      type: 'retention_protect',
      definition: { max_backups: 'many' },
    });
    await fire(w.deps, '2026-11-25T03:00:00Z');
    expect(w.protects).toHaveLength(1);
    expect([...w.logs.values()][0]).toMatchObject({ status: 'failed', errorInfo: 'get_max_backup_policy_failed' });
    expect(w.counted).toEqual(['failed']);
  });
});
