import { randomUUID } from 'node:crypto';
import type { BenchContext } from './api';
import { call, NOOP } from './http';
import { fmt, table } from './stats';

/** Runs `fn` over `items` with at most `n` in flight. */
const pool = async <T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
};

/**
 * The operation engine's run logs for one occurrence (`expected_time` in
 * extra_info); the checkpoints those runs start have protect logs of their
 * own, which are not runs.
 */
const runLogsOf = async (ctx: BenchContext, project: string, occurrence: string): Promise<Array<{ scheduled_operation_id: string; status: string; started_at: string }>> => {
  const all: any[] = [];
  let marker: string | undefined;
  for (;;) {
    const body = await call(ctx, 'GET', `/v1/${project}/operation_logs?limit=1000${marker ? `&marker=${marker}` : ''}`);
    all.push(...body.operation_logs);
    if (!body.operation_logs_links) break;
    marker = body.operation_logs[body.operation_logs.length - 1].id;
  }
  return all.filter((l) => l.scheduled_operation_id && String(l.extra_info?.expected_time ?? '').startsWith(occurrence));
};

/**
 * 6. Scheduler fan-out: `count` one-minute triggers with one protect
 * operation each, all due in the same minute; the local scheduler fires them
 * through the fire-trigger handler. Measures the time from the due minute
 * until every run is logged as finished, and checks each ran exactly once.
 */
export const benchFanOut = async (ctx: BenchContext, count = 1000): Promise<string> => {
  const project = `fanout-${randomUUID().slice(0, 8)}`;
  const plan = (await call(ctx, 'POST', `/v1/${project}/plans`, {
    plan: { name: 'fan-out', provider_id: NOOP, resources: [{ id: project, type: 'OS::Keystone::Project', name: project }], parameters: {} },
  })).plan.id as string;
  const setupStart = Date.now();
  const operations = await pool(Array.from({ length: count }, (_, i) => i), 16, async (i) => {
    const trigger = (await call(ctx, 'POST', `/v1/${project}/triggers`, {
      trigger_info: { name: `t${i}`, type: 'time', properties: { format: 'crontab', pattern: '* * * * *', window: 30 } },
    })).trigger_info.id as string;
    return (await call(ctx, 'POST', `/v1/${project}/scheduled_operations`, {
      scheduled_operation: { name: `o${i}`, operation_type: 'protect', trigger_id: trigger, operation_definition: { provider_id: NOOP, plan_id: plan } },
    })).scheduled_operation.id as string;
  });
  const setupSeconds = (Date.now() - setupStart) / 1000;
  // The first minute that starts at least 2 s after everything exists.
  const due = Math.ceil((Date.now() + 2000) / 60000) * 60000;
  const dueText = new Date(due).toISOString().slice(0, 19);
  await new Promise((r) => setTimeout(r, due - Date.now()));
  let finished: Awaited<ReturnType<typeof runLogsOf>> = [];
  const deadline = due + 55_000; // before the next minute's firing
  let allDone = Number.NaN;
  while (Date.now() < deadline) {
    const logs = await runLogsOf(ctx, project, dueText);
    finished = logs.filter((l) => l.status !== 'in_progress');
    if (new Set(finished.map((l) => l.scheduled_operation_id)).size >= count) {
      allDone = Date.now() - due;
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const perOperation = new Map<string, number>();
  for (const l of finished) perOperation.set(l.scheduled_operation_id, (perOperation.get(l.scheduled_operation_id) ?? 0) + 1);
  const ranOnce = operations.filter((id) => perOperation.get(id) === 1).length;
  const ranTwice = [...perOperation.values()].filter((n) => n > 1).length;
  const statuses = [...new Set(finished.map((l) => l.status))].join(', ');
  return [
    '## 6. Scheduler fan-out',
    '',
    `${count} triggers (\`* * * * *\`), one protect operation each on one No-Op plan, set up over HTTP in ${fmt(setupSeconds, 1)} s; the local scheduler fires them at ${dueText}Z through the same fire-trigger handler EventBridge invokes, and each run starts a checkpoint through the local bus.`,
    '',
    table(['measure', 'value'], [
      ['time from the due minute until every run is logged as finished', Number.isNaN(allDone) ? `not within 55 s (${new Set(finished.map((l) => l.scheduled_operation_id)).size} of ${count})` : `${fmt(allDone / 1000, 2)} s`],
      ['operations that ran exactly once', `${ranOnce} of ${count}`],
      ['operations that ran more than once', ranTwice],
      ['run log states', statuses || '-'],
    ]),
  ].join('\n');
};
