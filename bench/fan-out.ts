import { randomUUID } from 'node:crypto';
import type { BenchContext } from './api';
import { call, listAll, NOOP } from './http';
import { fmt, percentile, table } from './stats';

/** Runs `fn` over `items` with at most `n` in flight. */
const pool = async <T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
};

/**
 * The operation engine's run logs for one occurrence (`expected_time` in
 * extra_info); the checkpoints those runs start have protect logs of their
 * own, which are not runs.
 */
const runLogsOf = async (
  ctx: BenchContext,
  project: string,
  occurrence: string,
): Promise<Array<{ scheduled_operation_id: string; status: string; checkpoint_id: string | null; started_at: string }>> => {
  const all = await listAll(ctx, `/v1/${project}/operation_logs`, 'operation_logs');
  // extra_info is a JSON text, as Karbor stores it.
  const expected = (l: { extra_info?: string | null }): string => {
    try {
      return String(JSON.parse(l.extra_info ?? '{}')?.expected_time ?? '');
    } catch {
      return '';
    }
  };
  return all.filter((l) => l.scheduled_operation_id && expected(l).startsWith(occurrence));
};

/** Every checkpoint of `plan`: id to status. */
const checkpointsOf = async (ctx: BenchContext, project: string, plan: string): Promise<Map<string, string>> =>
  new Map((await listAll(ctx, `/v1/${project}/providers/${NOOP}/checkpoints`, 'checkpoints', `plan_id=${plan}`)).map((c) => [c.id, c.status]));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * 6. Scheduler fan-out: `count` one-minute triggers with one protect
 * operation each, all due in the same minute. At that minute the bench fires
 * it through the local scheduler's own fireMinute (the code its clock runs,
 * invoking the fire-trigger handler as EventBridge would), having stopped the
 * clock before the setup so that no other minute adds runs, checkpoints or load.
 * Measures the time until every run is logged as finished and until every
 * checkpoint those runs started is protected, and checks each ran exactly once.
 */
export const benchFanOut = async (ctx: BenchContext, count = 1000): Promise<string> => {
  const { scheduler, bus } = ctx;
  if (!scheduler || !bus) throw new Error("section 6 needs the runtime's local scheduler and bus");
  const project = `fanout-${randomUUID().slice(0, 8)}`;
  const plan = (
    await call(ctx, 'POST', `/v1/${project}/plans`, {
      plan: { name: 'fan-out', provider_id: NOOP, resources: [{ id: project, type: 'OS::Keystone::Project', name: project }], parameters: {} },
    })
  ).plan.id as string;
  // Only the bench fires minutes from here: none during the setup, the due one once.
  scheduler.stopClock();
  const setupStart = Date.now();
  const operations = await pool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const trigger = (
        await call(ctx, 'POST', `/v1/${project}/triggers`, {
          trigger_info: { name: `t${i}`, type: 'time', properties: { format: 'crontab', pattern: '* * * * *', window: 30 } },
        })
      ).trigger_info.id as string;
      return (
        await call(ctx, 'POST', `/v1/${project}/scheduled_operations`, {
          scheduled_operation: { name: `o${i}`, operation_type: 'protect', trigger_id: trigger, operation_definition: { provider_id: NOOP, plan_id: plan } },
        })
      ).scheduled_operation.id as string;
    },
  );
  const setupSeconds = (Date.now() - setupStart) / 1000;
  const rules = scheduler.rules().filter((r) => r.projectId === project).length;
  // The first minute that starts at least 2 s after everything exists.
  const due = Math.ceil((Date.now() + 2000) / 60000) * 60000;
  const dueText = new Date(due).toISOString().slice(0, 19);
  await sleep(due - Date.now());
  let firedMs = Number.NaN;
  const firing = scheduler.fireMinute(new Date(due)).then(() => {
    firedMs = Date.now() - due;
  });
  let finished: Awaited<ReturnType<typeof runLogsOf>> = [];
  let loggedMs = Number.NaN;
  const deadline = due + 300_000;
  while (Date.now() < deadline) {
    const logs = await runLogsOf(ctx, project, dueText);
    finished = logs.filter((l) => l.status !== 'in_progress');
    if (new Set(finished.map((l) => l.scheduled_operation_id)).size >= count) {
      loggedMs = Date.now() - due;
      break;
    }
    await sleep(250);
  }
  await firing;
  // Every checkpoint's protection worker, delivered through the local bus.
  let protectedMs = Number.NaN;
  const idle = await Promise.race([bus.idle().then(() => true), sleep(deadline - Date.now()).then(() => false)]);
  if (idle) protectedMs = Date.now() - due;
  const checkpoints = await checkpointsOf(ctx, project, plan);
  // Counted again after the workers, so a late duplicate run would show.
  finished = (await runLogsOf(ctx, project, dueText)).filter((l) => l.status !== 'in_progress');
  const perOperation = new Map<string, number>();
  for (const l of finished) perOperation.set(l.scheduled_operation_id, (perOperation.get(l.scheduled_operation_id) ?? 0) + 1);
  const ranOnce = operations.filter((id) => perOperation.get(id) === 1).length;
  const ranTwice = [...perOperation.values()].filter((n) => n > 1).length;
  const statuses = (m: Map<string, number>) => [...m].map(([k, v]) => `${k}: ${v}`).join(', ') || '-';
  const tally = (values: string[]) => {
    const m = new Map<string, number>();
    for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
    return m;
  };
  const logStatuses = tally(finished.map((l) => l.status));
  // The checkpoint each run logged, as the plan's checkpoint list shows it.
  const runCheckpoints = tally(finished.map((l) => (l.checkpoint_id ? (checkpoints.get(l.checkpoint_id) ?? 'not listed') : 'none logged')));
  // A run's start is its log's started_at (fire-trigger's clock when it began the run), Karbor's text without an offset: UTC.
  const delays = finished.map((l) => Date.parse(`${l.started_at.slice(0, 23)}Z`) - due);
  const seconds = (ms: number, what: string) => (Number.isNaN(ms) ? `not within ${(deadline - due) / 1000} s (${what})` : `${fmt(ms / 1000, 2)} s`);
  return [
    '## 6. Scheduler fan-out',
    '',
    `${count} triggers (\`* * * * *\`), one protect operation each on one No-Op plan, set up over HTTP in ${fmt(setupSeconds, 1)} s (16 clients; the local scheduler then held ${rules} rules for them). At ${dueText}Z the local scheduler fired that minute through the same fire-trigger handler EventBridge invokes; each run starts a checkpoint, which the protection worker finishes through the local bus. The scheduler's clock was stopped before the setup, so no other minute fired: the bench fired only the due one, through the scheduler's own fireMinute. Target: every operation runs exactly once.`,
    '',
    table(
      ['measure', 'value'],
      [
        ['all fire-trigger invocations returned', seconds(firedMs, 'still running')],
        ['every run logged as finished', seconds(loggedMs, `${new Set(finished.map((l) => l.scheduled_operation_id)).size} of ${count}`)],
        ["every checkpoint's protection worker done", seconds(protectedMs, 'bus still busy')],
        ["delay from the due minute to a run's start: p50", `${fmt(percentile(delays, 50) / 1000, 2)} s`],
        ["delay from the due minute to a run's start: p99", `${fmt(percentile(delays, 99) / 1000, 2)} s`],
        ['operations that ran exactly once', `${ranOnce} of ${count}${ranOnce === count ? ' (target met)' : ' (target missed)'}`],
        ['operations that ran more than once', ranTwice],
        ['run logs by status', statuses(logStatuses)],
        ["the runs' checkpoints by status", statuses(runCheckpoints)],
        ['checkpoints of the plan (one per run expected)', checkpoints.size],
      ],
    ),
    '',
    "Times are from the due minute. Locally every fire-trigger invocation and every worker runs in the server's one Node process, and DynamoDB Local serves all their calls on the same two cores: the times measure that machine, not the design. On AWS each firing is its own Lambda invocation, and the items every run writes are the project's checkpoint counter (in a transaction: conflicts are retried, shared/dynamo/retry.ts) and the operation engine's service row (a plain update).",
  ].join('\n');
};
