import type { OperationLog } from '../operation-logs/model';
import type { ScheduledOperation } from '../scheduled-operations/model';
import { type HeartbeatEvent, isHeartbeat, SERVICE_BINARIES } from '../services/model';
import type { FireTriggerPayload, TimeSchedule, Trigger, TriggerCalendar } from '../triggers/model';
import type { FireTriggerDeps, FireOutcome } from './model';
import { CheckpointLockedError } from '../checkpoints/model';
import { DRILL_OPERATION_TYPE, type DrillOutcome } from '../drills/model';

/** EventBridge has minute resolution: the firing minute holds the occurrence (seconds-level patterns fire early in it). */
const FIRING_RESOLUTION_MS = 60_000;

/** Karbor's retention policy values: integers, as strings; <= 0 or absent = disabled. */
const parsePolicy = (raw: string | undefined): number | 'invalid' => {
  if (raw === undefined || raw === '' || raw === 'None') return 0;
  return /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : 'invalid';
};

/**
 * Retention (docs/contract.md §9.6, docs/decisions.md §6): of the plan's available
 * checkpoints, newest first, delete those beyond `max_backups` and those older
 * than `retention_duration` days; the newest available one is never deleted.
 * A locked or held checkpoint counts against `max_backups` but is never
 * deleted: it is reported as kept (docs/decisions.md §19), also when its lock
 * came between the list and the delete.
 */
const retain = async (deps: FireTriggerDeps, op: ScheduledOperation, now: Date): Promise<{ deleted: string[]; keptLocked: string[]; error?: string }> => {
  const def = op.operationDefinition;
  const maxBackups = parsePolicy(def.max_backups);
  if (maxBackups === 'invalid') return { deleted: [], keptLocked: [], error: 'get_max_backup_policy_failed' };
  const duration = parsePolicy(def.retention_duration);
  if (duration === 'invalid') return { deleted: [], keptLocked: [], error: 'get_duration_policy_failed' };
  const available = (await deps.protection.listCheckpoints({ projectId: op.projectId, providerId: def.provider_id, planId: def.plan_id }))
    .filter((c) => c.status === 'available')
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const doomed = new Set<string>();
  if (maxBackups > 0) for (const c of available.slice(maxBackups)) doomed.add(c.id);
  if (duration > 0) {
    available.slice(1).forEach((c) => {
      if (now.getTime() - Date.parse(c.createdAt) > duration * 86400_000) doomed.add(c.id);
    });
  }
  doomed.delete(available[0]?.id ?? '');
  const keptLocked = available.filter((c) => c.locked && doomed.has(c.id)).map((c) => c.id);
  const deleted: string[] = [];
  for (const id of doomed) {
    if (keptLocked.includes(id)) continue;
    try {
      await deps.protection.deleteCheckpoint({ projectId: op.projectId, providerId: def.provider_id, checkpointId: id });
      deleted.push(id);
    } catch (error) {
      // Locked after the list was read: kept, as if the list had said so.
      if (!(error instanceof CheckpointLockedError)) throw error;
      keptLocked.push(id);
    }
  }
  return { deleted, keptLocked };
};

/**
 * Shows a run on its operation (`last_run`). Informational only: a failure
 * is logged and never stops or repeats the run (its guard is already written).
 */
const recordRun = async (deps: FireTriggerDeps, op: ScheduledOperation, log: OperationLog, status: string): Promise<void> => {
  try {
    await deps.operations.recordRun(op.id, { time: log.startedAt, status, logId: log.id });
  } catch (error) {
    deps.log({ level: 'ERROR', message: 'recording the last run failed', operation: op.id, error: error instanceof Error ? error.message : String(error) });
  }
};

/**
 * A `verify` operation's body (docs/decisions.md §24): a drill of the plan's
 * newest available checkpoint. The log is `success` once its verification
 * started (as a protect's is once its checkpoint started), `skipped` with the
 * reason when a drill of the plan is running or the account's drills are at
 * their cap, `failed` with the reason when it could not start.
 */
const drill = async (deps: FireTriggerDeps, op: ScheduledOperation, log: OperationLog, extra: Record<string, unknown>): Promise<void> => {
  let result: DrillOutcome;
  try {
    result = await deps.drills.drill(op);
  } catch (error) {
    result = { outcome: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
  const status = result.outcome === 'started' ? 'success' : result.outcome;
  const checkpointId = result.outcome === 'skipped' ? null : (result.checkpointId ?? null);
  const verificationId = result.outcome === 'skipped' ? null : (result.verificationId ?? null);
  if (result.outcome === 'skipped') deps.log({ message: 'drill skipped', operation: op.id, plan_id: op.operationDefinition.plan_id, reason: result.reason });
  await deps.logs.update(log.id, {
    status,
    endedAt: deps.clock.now().toISOString(),
    errorInfo: result.outcome === 'started' ? null : result.reason,
    checkpointId,
    extraInfo: JSON.stringify({
      ...extra,
      checkpoint_id: checkpointId,
      verification_id: verificationId,
      ...(result.outcome === 'started' ? { depth: result.depth } : {}),
      // A full drill over its size cap ran at basic (docs/decisions.md §24): the log says why.
      ...(result.outcome === 'started' && result.capped ? { capped: result.capped } : {}),
    }),
  });
  await recordRun(deps, op, log, status);
  deps.countRun(status === 'success' ? 'ran' : status === 'skipped' ? 'skipped' : 'failed');
};

/** Runs one operation's body; the log (and the operation's last run) gets the final status. */
const execute = async (deps: FireTriggerDeps, op: ScheduledOperation, log: OperationLog, extra: Record<string, unknown>): Promise<void> => {
  if (op.operationType === DRILL_OPERATION_TYPE) return drill(deps, op, log, extra);
  const def = op.operationDefinition;
  let status = 'success';
  let errorInfo: string | null = null;
  let checkpointId: string | null = null;
  try {
    ({ checkpointId } = await deps.protection.protect({
      projectId: op.projectId,
      providerId: def.provider_id,
      planId: def.plan_id,
      extraInfo: { created_by: 'operation-engine', trigger_id: op.triggerId, scheduled_operation_id: op.id },
    }));
  } catch (error) {
    status = 'failed';
    errorInfo = error instanceof Error ? error.message : String(error);
  }
  if (op.operationType === 'retention_protect') {
    // Karbor prunes even when the protect call failed.
    try {
      const result = await retain(deps, op, deps.clock.now());
      // kept_locked only when retention kept one: earlier logs' shape stays as it was.
      extra.retention = result.error ?? { deleted: result.deleted, ...(result.keptLocked.length > 0 ? { kept_locked: result.keptLocked } : {}) };
      if (result.error && status === 'success') [status, errorInfo] = ['failed', result.error];
    } catch (error) {
      extra.retention = 'failed';
      if (status === 'success') [status, errorInfo] = ['failed', error instanceof Error ? error.message : String(error)];
    }
  }
  await deps.logs.update(log.id, {
    status,
    endedAt: deps.clock.now().toISOString(),
    errorInfo,
    checkpointId,
    extraInfo: JSON.stringify({ ...extra, checkpoint_id: checkpointId }),
  });
  await recordRun(deps, op, log, status);
  deps.countRun(status === 'success' ? 'ran' : 'failed');
};

/** A computation that may run out of its walk budget (calendar rules): 'too-costly' then, never a hang or a crash. */
const costly = <T>(calendar: TriggerCalendar, compute: () => T): T | 'too-costly' => {
  try {
    return compute();
  } catch (error) {
    if (calendar.isTooCostly(error)) return 'too-costly';
    throw error;
  }
};

/** Runs the bound operations for the occurrence a firing holds, if it holds one. */
const fireOccurrence = async (
  deps: FireTriggerDeps,
  calendar: TriggerCalendar,
  trigger: Trigger,
  schedule: TimeSchedule,
  fired: number,
  now: Date,
): Promise<FireOutcome> => {
  const occurrence = costly(calendar, () => calendar.nextOccurrence(schedule, new Date(fired - 1)));
  if (occurrence === 'too-costly') return { outcome: 'ignored', reason: 'too-costly' };
  if (!occurrence || occurrence.getTime() >= fired + FIRING_RESOLUTION_MS) return { outcome: 'ignored', reason: 'not-an-occurrence' };
  if (occurrence.getTime() < Date.parse(trigger.scheduledFrom)) return { outcome: 'ignored', reason: 'before-schedule' };

  const engine = (await deps.services.list()).find((s) => s.binary === SERVICE_BINARIES.operationEngine);
  const late = now.getTime() > occurrence.getTime() + schedule.windowSeconds * 1000;
  const state = late ? 'dropped_out_of_window' : engine?.disabled ? 'skipped' : 'due';
  const reason = late ? 'the occurrence window had passed' : engine?.disabled ? `operation engine disabled: ${engine.disabledReason ?? ''}` : null;

  const operations = await deps.operations.listByTrigger(trigger.id);
  let ran = 0;
  let duplicates = 0;
  await Promise.all(
    operations.map(async (op) => {
      const extra: Record<string, unknown> = {
        trigger_id: trigger.id,
        expected_time: occurrence.toISOString(),
        triggered_time: new Date(fired).toISOString(),
      };
      const log: OperationLog = {
        id: deps.ids.newId(),
        projectId: op.projectId,
        operationType: op.operationType,
        checkpointId: null,
        planId: op.operationDefinition.plan_id ?? null,
        providerId: op.operationDefinition.provider_id ?? null,
        restoreId: null,
        scheduledOperationId: op.id,
        status: state === 'due' ? 'in_progress' : state,
        startedAt: now.toISOString(),
        endedAt: state === 'due' ? null : now.toISOString(),
        errorInfo: reason,
        extraInfo: JSON.stringify(extra),
      };
      if (!(await deps.runs.begin({ operationId: op.id, occurrence: occurrence.toISOString(), logId: log.id }, log))) {
        duplicates += 1;
        return;
      }
      ran += 1;
      await recordRun(deps, op, log, log.status);
      if (state === 'due') await execute(deps, op, log, extra);
      else deps.countRun(state === 'skipped' ? 'skipped' : 'dropped');
    }),
  );
  return { outcome: 'handled', occurrence: occurrence.toISOString(), state, ran, duplicates };
};

/**
 * Removes the rule of a trigger that can fire no more. A concurrent update
 * may have given it a new schedule just before the removal: read it again
 * and put that schedule back, so the rules converge on the stored trigger.
 */
const retire = async (deps: FireTriggerDeps, calendar: TriggerCalendar, triggerId: string, seen: Trigger | undefined): Promise<void> => {
  await deps.scheduler.remove(triggerId);
  const current = await deps.triggers.get(triggerId);
  if (!current || current.scheduledFrom === seen?.scheduledFrom) return;
  const schedule = calendar.storedSchedule(current, deps.limits);
  if (schedule) await deps.scheduler.put(schedule);
};

/**
 * The fire-trigger use case: EventBridge (or the local scheduler) says a
 * trigger's rule fired at `time`. The function is authoritative:
 * 1. the trigger must exist in the payload's project and `time` must hold a
 *    real occurrence (start/end, COUNT/UNTIL, INTERVAL and day rules the cron
 *    expression could not say) at or after the moment its schedule took effect;
 * 2. past the window -> every run is logged `dropped_out_of_window`; the
 *    operation engine disabled (os-services) -> logged `skipped`;
 * 3. otherwise each bound operation runs at most once per occurrence (a
 *    conditional write records the run with its operation log before
 *    anything happens), `protect` starts a checkpoint, `retention_protect`
 *    also prunes, `verify` starts a drill (docs/decisions.md §24); the log
 *    ends `success` or `failed` (a drill's also `skipped`);
 * 4. the operation engine's service row reports on every call, the minute's
 *    heartbeat (HEARTBEAT_EVENT) included, which does nothing else;
 * 5. a rule that can fire for nothing more is removed: its trigger is gone,
 *    or has no occurrence left (an EventBridge cron knows no end_time,
 *    COUNT or UNTIL, so the rule would fire on for ever); a calendar rule
 *    whose occurrences cost more than the walk budget is answered
 *    `too-costly` and keeps its rule.
 */
export const fireTrigger = async (deps: FireTriggerDeps, payload: FireTriggerPayload | HeartbeatEvent): Promise<FireOutcome> => {
  const now = deps.clock.now();
  await deps.services.report(SERVICE_BINARIES.operationEngine, deps.host, now);
  if (isHeartbeat(payload)) return { outcome: 'ignored', reason: 'heartbeat' };
  const calendar = await deps.calendar();
  // A consistent read: a rule only exists once its trigger is stored, so a missing trigger was deleted.
  const trigger = await deps.triggers.get(payload.trigger_id);
  if (!trigger) {
    await retire(deps, calendar, payload.trigger_id, undefined);
    return { outcome: 'ignored', reason: 'unknown-trigger', retired: true };
  }
  if (trigger.projectId !== payload.project_id) return { outcome: 'ignored', reason: 'unknown-trigger' };
  const fired = Date.parse(payload.time);
  if (Number.isNaN(fired)) return { outcome: 'ignored', reason: 'bad-time' };
  let schedule: TimeSchedule;
  try {
    schedule = calendar.scheduleOf(trigger.properties, deps.limits);
  } catch {
    return { outcome: 'ignored', reason: 'invalid-trigger' };
  }
  const outcome = await fireOccurrence(deps, calendar, trigger, schedule, fired, now);
  // A rule too costly to expand keeps its schedule: only one known to be over is retired.
  if (costly(calendar, () => calendar.nextOccurrence(schedule, new Date(Math.max(fired, now.getTime())))) !== undefined) return outcome;
  await retire(deps, calendar, trigger.id, trigger);
  return { ...outcome, retired: true };
};
