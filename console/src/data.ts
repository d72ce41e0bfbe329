import { nextPollDelay } from './poll';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  call,
  type Checkpoint,
  FAILED,
  type OperationLog,
  type Overview,
  type Plan,
  type Provider,
  parseTime,
  type Restore,
  RUNNING,
  type ScheduledOperation,
  type Session,
  type Trigger,
  type Verification,
  type Destination,
  ApiError,
} from './api';

export interface ProjectData {
  providers: Provider[];
  plans: Plan[];
  checkpoints: Checkpoint[];
  restores: Restore[];
  triggers: Trigger[];
  operations: ScheduledOperation[];
  logs: OperationLog[];
  verifications: Verification[];
  /** The project's figures (GET /overview, an extension: docs/decisions.md §23). */
  overview: Overview;
}

/** `allProjects`: an admin's lists of every project (`all_tenants=1`; a member's is ignored by the API). */
const load = async (s: Session, allProjects: boolean): Promise<ProjectData> => {
  const q = allProjects ? '?all_tenants=1' : '';
  const [{ providers }, { plans }, { restores }, { triggers }, { operations }, { operation_logs: logs }, { verifications }, { overview }] = await Promise.all([
    call<'providers.list'>(s, 'GET', '/providers'),
    call<'plans.list'>(s, 'GET', `/plans${q}`),
    call<'restores.list'>(s, 'GET', `/restores${q}`),
    call<'triggers.list'>(s, 'GET', `/triggers${q}`),
    call<'scheduledOperations.list'>(s, 'GET', `/scheduled_operations${q}`),
    call<'operationLogs.list'>(s, 'GET', `/operation_logs${q}`),
    call<'verifications.list'>(s, 'GET', `/verifications${q}`),
    call<'overview.show'>(s, 'GET', `/overview${q}`),
  ]);
  // Checkpoints live under their provider: ask every provider a plan uses.
  const used = [...new Set(plans.map((p) => p.provider_id))];
  const lists = await Promise.all(
    used.map(async (id) => (await call<'checkpoints.list'>(s, 'GET', `/providers/${id}/checkpoints${q}`)).checkpoints.map((c) => ({ ...c, provider_id: id }))),
  );
  return { providers, plans, checkpoints: lists.flat(), restores, triggers, operations, logs, verifications, overview };
};

/**
 * Whether the signed-in user is an admin, and the copy destinations: the destinations list is an admin-only
 * read (policy `destination:get_all`, docs/decisions.md §25), so a 403 says a member. Asked once per session.
 */
export const useAdmin = (session: Session): { admin: boolean; destinations: Destination[] } => {
  const [seen, setSeen] = useState<{ admin: boolean; destinations: Destination[] }>({ admin: false, destinations: [] });
  useEffect(() => {
    let live = true;
    call<'destinations.list'>(session, 'GET', '/destinations').then(
      ({ destinations }) => live && setSeen({ admin: true, destinations }),
      (e) => live && !(e instanceof ApiError && e.status === 403) && console.warn('destinations', e),
    );
    return () => {
      live = false;
    };
  }, [session]);
  return seen;
};

export const anyRunning = (d: ProjectData): boolean =>
  d.checkpoints.some((c) => RUNNING.has(c.status)) || d.restores.some((r) => RUNNING.has(r.status)) || d.verifications.some((v) => RUNNING.has(v.status));

/** The project's data, polled; `refresh` reloads now (after an action). */
export const useProjectData = (session: Session, onAuthError: (message: string) => void, allProjects = false) => {
  const [data, setData] = useState<ProjectData | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** While loads fail: when the next try is (ms since the epoch), so the page can say so. */
  const [retryAt, setRetryAt] = useState<number | undefined>();
  const timer = useRef<number | undefined>(undefined);
  const generation = useRef(0);
  const failures = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    window.clearTimeout(timer.current);
    const started = performance.now();
    let running = false;
    try {
      const d = await load(session, allProjects);
      if (mine !== generation.current) return;
      setData(d);
      setError(undefined);
      failures.current = 0;
      running = anyRunning(d);
    } catch (e) {
      if (mine !== generation.current) return;
      const status = (e as { status?: number }).status;
      if (status === 401) return onAuthError('The API refused the token: sign in again.');
      failures.current += 1;
      setError(e instanceof Error ? e.message : String(e));
    }
    // Faster while a job runs; less often while the API is slow; backing off while it fails (./poll.ts).
    const next = nextPollDelay({ running, failures: failures.current, elapsedMs: performance.now() - started });
    setRetryAt(failures.current > 0 ? Date.now() + next : undefined);
    timer.current = window.setTimeout(() => void refresh(), next);
  }, [session, onAuthError, allProjects]);

  useEffect(() => {
    void refresh();
    return () => {
      generation.current += 1;
      window.clearTimeout(timer.current);
    };
  }, [refresh]);

  return { data, error, retryAt, refresh };
};

/** When a checkpoint was taken: its protect log's start (to the second), else the date Karbor shows. */
export const checkpointTimes = (d: ProjectData): Map<string, number | undefined> => {
  const started = new Map<string, number | undefined>();
  for (const log of d.logs) if (log.checkpoint_id && log.operation_type.endsWith('protect')) started.set(log.checkpoint_id, parseTime(log.started_at));
  return new Map(d.checkpoints.map((c) => [c.id, started.get(c.id) ?? parseTime(c.created_at)]));
};

/** checkpointTimes, computed inside the view that shows them: data it cannot read fails that view's boundary, not the page. */
export const useCheckpointTimes = (d: ProjectData) => useMemo(() => checkpointTimes(d), [d]);

/** The scheduled operations that protect a plan, with their triggers. */
export const schedulesOf = (d: ProjectData, planId: string) =>
  d.operations.filter((op) => op.operation_definition.plan_id === planId).map((op) => ({ op, trigger: d.triggers.find((t) => t.id === op.trigger_id) }));

/** The plan's next run: the scheduled operation's own `next_run`, else its trigger's first `next_runs`. */
export const nextRunOf = (d: ProjectData, planId: string): number | undefined => {
  const times = schedulesOf(d, planId)
    .filter(({ op }) => op.enabled)
    .map(({ op, trigger }) => parseTime(op.next_run ?? trigger?.next_runs?.[0]))
    .filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : undefined;
};

/** The plan's most recent failure: a failed checkpoint or operation log, with its reason. */
export const lastFailureOf = (d: ProjectData, planId: string, times: Map<string, number | undefined>) => {
  const failures = [
    ...d.checkpoints
      .filter((c) => c.protection_plan.id === planId && FAILED.has(c.status))
      .map((c) => ({ at: times.get(c.id), reason: c.status_reason ?? `checkpoint ${c.status}` })),
    ...d.logs
      .filter((l) => l.plan_id === planId && (FAILED.has(l.status) || l.status === 'dropped_out_of_window'))
      .map((l) => ({ at: parseTime(l.started_at), reason: l.error_info ?? l.status })),
  ];
  return failures.sort((a, b) => (b.at ?? 0) - (a.at ?? 0))[0];
};
