import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { App, NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { meteredCalls, meteredInvocations, meterInvocation, setMeterPaused } from '../infra/local/dynamo-metering';
import { lambdaContext } from '../infra/local/http-api-event';
import { eventTime } from '../infra/local/scheduler';
import { DEFAULT_MEMORY_MB } from '../infra/constructs/api-function';
import { KarborStack } from '../infra/stack';
import { TABLE } from '../shared/dynamo/table';
import { routes } from '../shared/http/routes';
import { HEARTBEAT_EVENT, SERVICE_HEARTBEAT_SECONDS } from '../shared/features/services/model';
import { type WorkerDef, workerById, workers } from '../shared/workers';
import { type BenchContext, benchCapacity, type RouteCapacity } from './api';
import { initTime } from './bundles';
import { happyPath } from './happy-path';
import { call, NOOP } from './http';
import { fmt, median, table } from './stats';

/**
 * 9. What a user pays: the monthly AWS bill of three usage profiles and of an
 * idle stack, priced from what this run measured (section 4's capacity units,
 * the handlers' durations, the events they publish, the bank objects a
 * checkpoint writes) and the published prices below.
 */

const READ = '2026-11-28';
const NOT_REREAD = `not re-read on aws.amazon.com ${READ}: the published figure`;

interface Price {
  usd: number;
  /** What one `usd` buys. */
  per: string;
  /** How many units per month an always-free tier gives (0: none, or only the 12-month tier). */
  free: number;
  source: string;
  read: string;
}

/** us-east-1 list prices; where the AWS page could not be read here, the figure a dated secondary page gave is named. */
export const PRICES = {
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: 'Lambda request',
    free: 1e6,
    source: 'https://aws.amazon.com/lambda/pricing/',
    read: `${NOT_REREAD}; matches https://notes.kodekloud.com/docs/AWS-Lambda/Understanding-Lambda/Pricing read ${READ}`,
  },
  lambdaGbS: {
    usd: 0.0000133334,
    per: 'Lambda GB-second (arm64, first 7.5 billion)',
    free: 400_000,
    source: 'https://aws.amazon.com/lambda/pricing/',
    read: `${NOT_REREAD}; matches https://cloudchipr.com/blog/aws-lambda-pricing read ${READ}`,
  },
  httpApi: {
    usd: 1 / 1e6,
    per: 'HTTP API request (first 300 million)',
    free: 0,
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    read: `${NOT_REREAD}; matches https://awsforengineers.com/blog/aws-api-gateway-pricing-explained read ${READ}`,
  },
  dynamoWrite: {
    usd: 0.625 / 1e6,
    per: 'on-demand write request unit',
    free: 0,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    read: `${NOT_REREAD}; matches https://airbyte.com/data-engineering-resources/dynamodb-pricing read ${READ}`,
  },
  dynamoRead: {
    usd: 0.125 / 1e6,
    per: 'on-demand read request unit',
    free: 0,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    read: `${NOT_REREAD}; matches https://airbyte.com/data-engineering-resources/dynamodb-pricing read ${READ}`,
  },
  dynamoStorage: { usd: 0.25, per: 'GB-month of table storage', free: 25, source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/', read: NOT_REREAD },
  dynamoPitr: { usd: 0.2, per: 'GB-month of point-in-time recovery', free: 0, source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/', read: NOT_REREAD },
  busEvent: { usd: 1 / 1e6, per: 'custom event put on an event bus', free: 0, source: 'https://aws.amazon.com/eventbridge/pricing/', read: NOT_REREAD },
  scheduledRule: {
    usd: 0,
    per: 'scheduled-rule invocation (EventBridge rules: not charged)',
    free: 0,
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    read: NOT_REREAD,
  },
  schedulerInvocation: {
    usd: 1 / 1e6,
    per: 'EventBridge Scheduler invocation',
    free: 14e6,
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    read: `${NOT_REREAD}; the 14 million free matches https://awsnegotiations.com/eventbridge-scheduler-cost read ${READ}`,
  },
  s3Put: { usd: 0.005 / 1000, per: 'S3 PUT request', free: 0, source: 'https://aws.amazon.com/s3/pricing/', read: NOT_REREAD },
  s3Storage: { usd: 0.023, per: 'GB-month of S3 Standard', free: 0, source: 'https://aws.amazon.com/s3/pricing/', read: NOT_REREAD },
  xrayTrace: { usd: 5 / 1e6, per: 'X-Ray trace recorded', free: 100_000, source: 'https://aws.amazon.com/xray/pricing/', read: NOT_REREAD },
  logsIngest: { usd: 0.5, per: 'GB of CloudWatch Logs ingested', free: 5, source: 'https://aws.amazon.com/cloudwatch/pricing/', read: NOT_REREAD },
  alarmMetric: {
    usd: 0.1,
    per: 'alarm metric-month (a metric-math alarm: each metric in it)',
    free: 10,
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    read: `${NOT_REREAD}; matches https://amazonwebshark.com/tag/aws-billing-and-cost-management/page/2/ read ${READ}`,
  },
  dashboard: { usd: 3, per: 'dashboard-month', free: 3, source: 'https://aws.amazon.com/cloudwatch/pricing/', read: NOT_REREAD },
  kmsKey: { usd: 1, per: 'customer managed KMS key-month', free: 0, source: 'https://aws.amazon.com/kms/pricing/', read: NOT_REREAD },
  sqsRequest: { usd: 0.4 / 1e6, per: 'SQS request', free: 1e6, source: 'https://aws.amazon.com/sqs/pricing/', read: NOT_REREAD },
  cognitoMau: { usd: 0, per: 'Cognito monthly active user (first 10,000: free)', free: 0, source: 'https://aws.amazon.com/cognito/pricing/', read: NOT_REREAD },
} satisfies Record<string, Price>;

type PriceKey = keyof typeof PRICES;
type Usage = Partial<Record<PriceKey, number>>;

const MONTH_SECONDS = 30 * 86_400;
/**
 * Lambda's own log records per invocation in the JSON format (platform.start,
 * platform.report): an assumption, not measured here; the handlers' own
 * lines are measured.
 */
const PLATFORM_LOG_BYTES = 700;

const add = (a: Usage, b: Usage, times = 1): Usage => {
  const out: Usage = { ...a };
  for (const [k, v] of Object.entries(b) as Array<[PriceKey, number]>) out[k] = (out[k] ?? 0) + v * times;
  return out;
};

const memoryOf = (def: { memory?: number } | undefined): number => def?.memory ?? DEFAULT_MEMORY_MB;

/** One kind of invocation, as measured: what one of it uses. */
interface Measured {
  what: string;
  memory: number;
  ms: number;
  initMs: number;
  read: number;
  write: number;
  events: number;
  s3Puts: number;
  logBytes: number;
  viaApi: boolean;
}

/** What one invocation uses; `cold` adds the init phase, which Lambda bills. */
const usageOf = (m: Measured, cold: boolean): Usage => ({
  lambdaRequest: 1,
  lambdaGbS: ((m.memory / 1024) * (Math.ceil(m.ms) + (cold ? Math.ceil(m.initMs) : 0))) / 1000,
  dynamoRead: m.read,
  dynamoWrite: m.write,
  busEvent: m.events,
  s3Put: m.s3Puts,
  xrayTrace: 1,
  logsIngest: (m.logBytes + PLATFORM_LOG_BYTES) / 2 ** 30,
  ...(m.viaApi ? { httpApi: 1 } : {}),
});

const dollars = (usd: number): string => (usd >= 100 ? `$${usd.toFixed(0)}` : usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`);
const count = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n < 10 ? n.toFixed(4) : Math.round(n).toLocaleString('en-US'));

const priced = (usage: Usage) => {
  const rows = (Object.entries(usage) as Array<[PriceKey, number]>).filter(([, q]) => q > 0);
  const gross = rows.reduce((s, [k, q]) => s + q * PRICES[k].usd, 0);
  const net = rows.reduce((s, [k, q]) => s + Math.max(0, q - PRICES[k].free) * PRICES[k].usd, 0);
  return { rows, gross, net };
};

/** The item that costs most, with its share of the usage's gross. */
const largest = (usage: Usage): string => {
  const { rows, gross } = priced(usage);
  const [k, q] = rows.reduce((a, b) => (b[1] * PRICES[b[0]].usd > a[1] * PRICES[a[0]].usd ? b : a));
  return `${PRICES[k].per}, ${fmt((100 * q * PRICES[k].usd) / gross, 0)} %`;
};

const pricedTable = (usage: Usage): string =>
  table(
    ['item', 'per month', 'price', '$ / month'],
    priced(usage).rows.map(([k, q]) => [PRICES[k].per, count(q), `$${PRICES[k].usd.toPrecision(3)}`, dollars(q * PRICES[k].usd)]),
  );

/** Bytes the handlers write to stdout/stderr while `fn` runs (their log lines: CloudWatch Logs ingests them). */
const loggedBytes = async (fn: () => Promise<unknown>): Promise<number> => {
  let bytes = 0;
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write.bind(s));
  streams.forEach((s, i) => {
    s.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      return (originals[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof s.write;
  });
  try {
    await fn();
  } finally {
    streams.forEach((s, i) => {
      s.write = originals[i] as typeof s.write;
    });
  }
  return bytes;
};

/** The files (objects) and bytes under a folder of the local bank. */
const bankObjects = (dir: string): { objects: number; bytes: number } => {
  let objects = 0;
  let bytes = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return { objects, bytes };
  }
  for (const e of entries) {
    const st = statSync(path.join(dir, e));
    if (st.isFile()) {
      objects += 1;
      bytes += st.size;
    }
  }
  return { objects, bytes };
};

/**
 * DynamoDB's storage size of an item with its index copies: attribute names
 * and values (about their JSON text) plus 100 bytes of overhead, once in the
 * table and once in each index whose keys it carries (projection ALL, infra/constructs/data.ts).
 */
const storedBytes = (item: Record<string, unknown>): number => {
  const copies = 1 + TABLE.globalIndexes.filter((i) => item[i.partitionKey.name] !== undefined).length;
  return (Buffer.byteLength(JSON.stringify(item)) + 100) * copies;
};

/**
 * The stored bytes of one project's items and of one operation's run records,
 * split into what each firing adds (its operation log, kept; its run record,
 * 30 days; the checkpoint retention deleted, kept as a tombstone) and what
 * the plan keeps whatever the firings (plan, trigger, operation, live checkpoints).
 * A Scan (the bench's, never a request's): these items have no common key.
 */
const projectStorage = async (ctx: BenchContext, project: string, operationId: string) => {
  const perFiring = new Map<string, number[]>();
  let fixed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new ScanCommand({
        TableName: ctx.tableName,
        FilterExpression: 'projectId = :p OR operationId = :o',
        ExpressionAttributeValues: { ':p': project, ':o': operationId },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const kind = item.entity === 'checkpoint' && item.status === 'deleted' ? 'deleted checkpoint' : String(item.entity);
      if (['operationLog', 'scheduledOperationRun', 'deleted checkpoint'].includes(kind))
        perFiring.set(kind, [...(perFiring.get(kind) ?? []), storedBytes(item)]);
      else fixed += storedBytes(item);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  const avg = (kind: string) => median(perFiring.get(kind) ?? [0]);
  return {
    fixed,
    perFiring: avg('operationLog') + avg('scheduledOperationRun') + avg('deleted checkpoint'),
    keptPerFiring: avg('operationLog') + avg('deleted checkpoint'),
  };
};

/** What a deploy creates that bills by the month: counted from the synthesized stack (no bundling). */
const synthCounts = () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new KarborStack(app, 'Cost', { consoleDir: null });
  const stacks: Stack[] = [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
  const resources = stacks.flatMap((s) => Object.values(Template.fromStack(s).toJSON().Resources as Record<string, { Type: string; Properties: any }>));
  const ofType = (t: string) => resources.filter((r) => r.Type === t);
  const alarms = ofType('AWS::CloudWatch::Alarm');
  // A metric-math alarm is billed per metric it reads.
  const alarmMetrics = alarms.reduce(
    (s, a) => s + (a.Properties.Metrics ? a.Properties.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).length : 1),
    0,
  );
  return {
    alarms: alarms.length,
    alarmMetrics,
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    kmsKeys: ofType('AWS::KMS::Key').length,
    logGroups: ofType('AWS::Logs::LogGroup').length,
    functions: ofType('AWS::Lambda::Function').length,
    queues: ofType('AWS::SQS::Queue').length,
    topics: ofType('AWS::SNS::Topic').length,
    rules: ofType('AWS::Events::Rule').length,
  };
};

type WorkerHandler = (e: unknown, c: unknown) => Promise<unknown>;

/** Runs one worker's handler as its rule or schedule invokes it on AWS, metered under `label`. */
const invokeWorker = async (ctx: BenchContext, w: WorkerDef, event: unknown, label: string): Promise<void> => {
  // A durable worker (protection) runs its jobs on the local engine here, as the local bus does (infra/local/event-bus.ts).
  const mod = ctx.host.load<{ handler: WorkerHandler; localHandler?: WorkerHandler }>(w.module);
  const handler = mod.localHandler ?? mod.handler;
  await ctx.host.run(() => meterInvocation(label, () => handler(event, lambdaContext(w.id, w.timeout ?? 60))));
};

/** Invocations recorded from `from` on, by label: median duration, and their DynamoDB units and events per invocation. */
const summarise = (fromInvocation: number, fromCall: number) => {
  type Tally = { ms: number[]; events: number; read: number; write: number; ops: Map<string, { calls: number; write: number }> };
  const byLabel = new Map<string, Tally>();
  for (const inv of meteredInvocations().slice(fromInvocation)) {
    const e: Tally = byLabel.get(inv.label) ?? { ms: [], events: 0, read: 0, write: 0, ops: new Map() };
    e.ms.push(inv.ms);
    e.events += inv.events;
    byLabel.set(inv.label, e);
  }
  for (const c of meteredCalls().slice(fromCall)) {
    const e = byLabel.get(c.label);
    if (!e) continue;
    e.read += c.readUnits;
    e.write += c.writeUnits;
    const op = e.ops.get(c.command) ?? { calls: 0, write: 0 };
    op.calls += 1;
    op.write += c.writeUnits;
    e.ops.set(c.command, op);
  }
  return (label: string) => {
    const e = byLabel.get(label);
    if (!e) throw new Error(`section 9: no invocation of ${label} was measured`);
    const n = e.ms.length;
    // Where its write units go, per invocation: each kind of call, how many, how many units.
    const writes = [...e.ops]
      .filter(([, o]) => o.write > 0)
      .map(([command, o]) => `${command.replace(/Command$/, '')} x${fmt(o.calls / n, 1)} = ${fmt(o.write / n, 1)}`)
      .join(', ');
    return { n, ms: median(e.ms), read: e.read / n, write: e.write / n, events: e.events / n, writes };
  };
};

/** Issue #22: what one protection worker run of a No-Op checkpoint, or of a retention delete, may write. */
const WORKER_WCU_TARGET = 20;

/** Firings before retention deletes one checkpoint each time (not measured), then the measured ones. */
const WARMUP = 3;
const FIRINGS = 4;

/** X-Ray traces of `n` invocations of one function due in the same minute, under the default sampling rule (1 a second, then 5 %). */
const traced = (n: number): number => Math.min(n, 60 + 0.05 * Math.max(0, n - 60));
const KEEP = 2;

/** The routes a user's occasional look at their backups calls (CLI or console): list plans, show one, its checkpoints and the run logs. */
const LOOK = ['plans.list', 'plans.show', 'checkpoints.list', 'operationLogs.list'];

/** `capacity`: section 4's figures when it ran in this process; otherwise section 4's function measures them here. */
export const benchCost = async (ctx: BenchContext, capacity: Map<string, RouteCapacity>): Promise<string> => {
  const { scheduler, bus } = ctx;
  if (!scheduler || !bus) throw new Error("section 9 needs the runtime's local scheduler and bus");
  // Only the bench fires minutes from here (section 6 may have stopped the clock already).
  scheduler.stopClock();
  setMeterPaused(false);
  try {
    // Routes: section 4's happy path, measured warm (a first pass loads the modules if section 4 did not).
    const reused = capacity.size > 0;
    if (!reused) await benchCapacity(ctx, happyPath(), capacity);

    // A plan with a retention_protect operation keeping KEEP checkpoints, fired FIRINGS minutes in a row.
    const project = `cost-${randomUUID().slice(0, 8)}`;
    const plan = (
      await call(ctx, 'POST', `/v1/${project}/plans`, {
        plan: { name: 'cost', provider_id: NOOP, resources: [{ id: project, type: 'OS::Keystone::Project', name: project }], parameters: {} },
      })
    ).plan.id as string;
    const trigger = (
      await call(ctx, 'POST', `/v1/${project}/triggers`, {
        trigger_info: { name: 'cost', type: 'time', properties: { format: 'crontab', pattern: '* * * * *', window: 30 } },
      })
    ).trigger_info.id as string;
    const operation = (
      await call(ctx, 'POST', `/v1/${project}/scheduled_operations`, {
        scheduled_operation: {
          name: 'cost',
          operation_type: 'retention_protect',
          trigger_id: trigger,
          operation_definition: { provider_id: NOOP, plan_id: plan, max_backups: KEEP },
        },
      })
    ).scheduled_operation.id as string;
    await bus.idle();
    const fireTrigger = workerById('scheduler.fireTrigger');
    const worker = workerById('protection.worker');
    const sweep = workerById('protection.sweep');
    const firstMinute = Math.ceil(Date.now() / 60000) * 60000 + 60000;
    // The payload the trigger's rule delivers; fire-trigger accepts a minute that has not come yet, never a late one.
    const fireOnce = async (i: number) => {
      await invokeWorker(ctx, fireTrigger, { trigger_id: trigger, project_id: project, time: eventTime(new Date(firstMinute + i * 60000)) }, fireTrigger.id);
      await bus.idle();
    };
    // Unmetered until retention is in its steady state: each firing then starts one checkpoint and deletes one.
    setMeterPaused(true);
    for (let i = 0; i < WARMUP; i += 1) await fireOnce(i);
    setMeterPaused(false);
    let inv0 = meteredInvocations().length;
    let call0 = meteredCalls().length;
    let logBytes = 0;
    for (let i = WARMUP; i < WARMUP + FIRINGS; i += 1) logBytes += await loggedBytes(() => fireOnce(i));
    // Idle: the heartbeat each minute (every heartbeat worker) and the sweep's fixed rate.
    let idleLogBytes = 0;
    for (let i = 0; i < 5; i += 1) {
      idleLogBytes += await loggedBytes(async () => {
        for (const w of workers.filter((x) => x.heartbeat)) await invokeWorker(ctx, w, HEARTBEAT_EVENT, `heartbeat ${w.id}`);
        await invokeWorker(ctx, sweep, {}, sweep.id);
      });
    }
    const workerInv = summarise(inv0, call0);
    // The looks' durations: each route 10 times on this project (its checkpoints and run logs), warm.
    inv0 = meteredInvocations().length;
    call0 = meteredCalls().length;
    const lookPaths: Record<string, string> = {
      'plans.list': `/v1/${project}/plans?limit=50`,
      'plans.show': `/v1/${project}/plans/${plan}`,
      'checkpoints.list': `/v1/${project}/providers/${NOOP}/checkpoints?plan_id=${plan}`,
      'operationLogs.list': `/v1/${project}/operation_logs`,
    };
    const routeLogBytes =
      (await loggedBytes(async () => {
        for (let i = 0; i < 10; i += 1) for (const id of LOOK) await call(ctx, 'GET', lookPaths[id]);
      })) /
      (10 * LOOK.length);
    const routeInv = summarise(inv0, call0);
    const kept = (await call(ctx, 'GET', `/v1/${project}/providers/${NOOP}/checkpoints?plan_id=${plan}`)).checkpoints as Array<{ id: string }>;
    const retained = kept.length;
    // What the kept checkpoints left in the local bank (an S3 bucket on AWS), one folder each.
    const bank = kept
      .map((c) => bankObjects(path.join(ctx.host.settings.KARBOR_BANK_DIR ?? '', 'checkpoints', c.id)))
      .reduce((a, b) => ({ objects: a.objects + b.objects, bytes: a.bytes + b.bytes }), { objects: 0, bytes: 0 });
    const checkpointsMade = WARMUP + FIRINGS;
    const storage = await projectStorage(ctx, project, operation);

    const init = (module: string) => initTime(path.join(ctx.buildRoot, `${module}.js`));
    const routeDef = (id: string) => routes.find((r) => r.id === id);
    const fire = workerInv(fireTrigger.id);
    const protect = workerInv(`${worker.id} (Checkpoint Requested)`);
    const remove = workerInv(`${worker.id} (Checkpoint Delete Requested)`);
    const measured: Record<string, Measured> = {
      fire: {
        what: 'fire-trigger: one firing of a retention_protect operation (run log, checkpoint start, retention)',
        memory: memoryOf(fireTrigger),
        ms: fire.ms,
        initMs: init(fireTrigger.module),
        read: fire.read,
        write: fire.write,
        events: fire.events,
        s3Puts: 0,
        // The whole firing's log lines (its workers' included) are counted on it.
        logBytes: logBytes / FIRINGS,
        viaApi: false,
      },
      protect: {
        what: 'protection worker: protect one checkpoint (No-Op plan)',
        memory: memoryOf(worker),
        ms: protect.ms,
        initMs: init(worker.module),
        read: protect.read,
        write: protect.write,
        events: protect.events,
        // The bank objects a checkpoint leaves (one PUT each; a key written twice counts once: a lower bound).
        s3Puts: bank.objects / Math.max(1, retained),
        logBytes: 0,
        viaApi: false,
      },
      remove: {
        what: 'protection worker: delete one checkpoint (retention)',
        memory: memoryOf(worker),
        ms: remove.ms,
        initMs: init(worker.module),
        read: remove.read,
        write: remove.write,
        events: remove.events,
        s3Puts: 0,
        logBytes: 0,
        viaApi: false,
      },
    };
    for (const id of LOOK) {
      const cap = capacity.get(id);
      if (!cap) throw new Error(`section 9: section 4 measured no ${id}`);
      const def = routeDef(id);
      measured[id] = {
        what: `${id} (through the HTTP API)`,
        memory: memoryOf(def),
        ms: routeInv(id).ms,
        initMs: init(def!.module),
        read: cap.read,
        write: cap.write,
        events: 0,
        s3Puts: 0,
        // The happy path's average request.
        logBytes: routeLogBytes,
        viaApi: true,
      };
    }
    const idleKinds = [
      ...workers.filter((x) => x.heartbeat).map((w) => ({ w, label: `heartbeat ${w.id}`, perMonth: MONTH_SECONDS / SERVICE_HEARTBEAT_SECONDS })),
      { w: sweep, label: sweep.id, perMonth: MONTH_SECONDS / 60 / (sweep.source.kind === 'every' ? sweep.source.minutes : 5) },
    ];
    const idleCalls = idleKinds.length * 5;
    for (const k of idleKinds) {
      const s = workerInv(k.label);
      measured[k.label] = {
        what: `${k.label} (idle: ${count(k.perMonth)} a month)`,
        memory: memoryOf(k.w),
        ms: s.ms,
        initMs: 0,
        read: s.read,
        write: s.write,
        events: s.events,
        s3Puts: 0,
        logBytes: idleLogBytes / idleCalls,
        viaApi: false,
      };
    }

    // Idle: what runs and what is kept with no user at all (rules mode, the default).
    const synth = synthCounts();
    let idle: Usage = {
      alarmMetric: synth.alarmMetrics,
      dashboard: synth.dashboards,
      kmsKey: synth.kmsKeys,
      cognitoMau: 0,
    };
    // Heartbeats keep one environment of each warm; the sweep every 5 minutes may start cold, which is not priced.
    for (const k of idleKinds) idle = add(idle, usageOf(measured[k.label], false), k.perMonth);

    // Profiles: per month (30 days), every firing is one fire-trigger run, one protect run and (retention in its steady state) one delete run.
    const profiles = [
      { name: '10 plans, a daily checkpoint each', plans: 10, bursts: 30, looks: 30, scheduler: false },
      { name: '1,000 plans, hourly', plans: 1000, bursts: 24 * 30, looks: 300, scheduler: false },
      { name: '10,000 triggers every 15 minutes (Scheduler mode)', plans: 10_000, bursts: 4 * 24 * 30, looks: 3000, scheduler: true },
    ].map((p) => ({ ...p, firings: p.plans * p.bursts }));
    const bankBytesPerCheckpoint = bank.bytes / Math.max(1, retained);
    const profileSections: string[] = [];
    const totals: Array<Array<string | number>> = [];
    for (const p of profiles) {
      // Firings come in bursts (every trigger due in the same minute) after an hour or a day idle: priced cold, init included.
      const invocations = (cold: boolean): Usage => {
        let u: Usage = {};
        for (const k of ['fire', 'protect', 'remove']) u = add(u, usageOf(measured[k], cold), p.firings);
        for (const id of LOOK) u = add(u, usageOf(measured[id], cold), p.looks);
        // X-Ray samples each function's burst: 1 a second, then 5 % (Lambda's default rule); a look is traced.
        u.xrayTrace = 3 * p.bursts * traced(p.plans) + p.looks * LOOK.length;
        return u;
      };
      let usage = add(invocations(true), p.scheduler ? { schedulerInvocation: p.firings } : { scheduledRule: p.firings });
      // Kept: each plan's live checkpoints in the bank (S3); in the table, each plan's items and a month of firings' (after the first month).
      const tableGb = (p.plans * storage.fixed + p.firings * storage.perFiring) / 2 ** 30;
      const kept: Usage = { s3Storage: (p.plans * retained * bankBytesPerCheckpoint) / 2 ** 30, dynamoStorage: tableGb, dynamoPitr: tableGb };
      usage = add(usage, kept);
      const warm = add(add(invocations(false), kept), p.scheduler ? { schedulerInvocation: p.firings } : {});
      const own = priced(usage);
      const all = priced(add(usage, idle));
      totals.push([
        p.name,
        count(p.firings),
        dollars(own.gross),
        dollars(all.gross),
        dollars(all.net),
        dollars(priced(add(warm, idle)).gross),
        dollars(priced(add(scaleLambda(usage, 3), idle)).gross),
      ]);
      profileSections.push(
        [
          `#### ${p.name}`,
          '',
          `${count(p.firings)} firings a month (${count(p.bursts)} times ${count(p.plans)} due in the same minute), each one fire-trigger run, one protect run and one retention delete (the plan keeps ${KEEP}), and ${count(p.looks)} looks (${LOOK.join(', ')}: ${count(p.looks * LOOK.length)} API requests). Every invocation priced cold (init included).`,
          '',
          pricedTable(usage),
          '',
          `Table storage after the first month: ${fmt((p.plans * storage.fixed + p.firings * storage.perFiring) / 2 ** 30, 3)} GB; operation logs and deleted checkpoints' tombstones are kept (Karbor keeps them), so it grows by ${fmt((p.firings * storage.keptPerFiring) / 2 ** 30, 3)} GB a month (+${dollars(((p.firings * storage.keptPerFiring) / 2 ** 30) * (PRICES.dynamoStorage.usd + PRICES.dynamoPitr.usd))} a month each month, storage and point-in-time recovery).`,
          '',
          `Largest item: ${largest(usage)}. Usage: ${dollars(own.gross)} a month; with the idle stack: ${dollars(all.gross)} (${dollars(all.net)} after the always-free tiers).`,
        ].join('\n'),
      );
    }
    const idlePriced = priced(idle);
    const measuredRows = Object.values(measured).map((m) => [
      m.what,
      m.memory,
      fmt(m.ms),
      m.initMs > 0 ? fmt(m.initMs) : '-',
      fmt(m.read, 1),
      fmt(m.write, 1),
      fmt(m.events, 1),
      fmt(m.s3Puts, 1),
      count(Math.round(m.logBytes)),
    ]);
    return [
      '## 9. What a user pays',
      '',
      `Monthly AWS bill (us-east-1, 30 days, list prices, no tax) of three profiles and of the idle stack, from what this run measured: DynamoDB units per route as section 4 measured them (${reused ? 'in this run' : 'its function, run here: section 4 did not run'}), each handler's duration in this process (median; a look's route: of 10 calls on the project below), the events it put on the bus, the bank objects a checkpoint left and the log bytes the handlers wrote. The workers' figures come from ${FIRINGS} firings of one \`retention_protect\` operation (No-Op plan, keeps ${KEEP}), measured after ${WARMUP} unmeasured ones brought its retention to its steady state (${checkpointsMade} checkpoints made, ${retained} kept, ${bank.objects} bank objects left by them) and from 5 heartbeat and sweep invocations, each invoked as its rule invokes it on AWS. Table storage: the plan's items take ${count(storage.fixed)} bytes with their index copies, each firing adds ${count(Math.round(storage.perFiring))} (its operation log, its run record for 30 days, the tombstone of the checkpoint retention deleted).`,
      '',
      table(['invocation', 'MB', 'ms', 'cold init ms', 'RCU', 'WCU', 'bus events', 'S3 PUTs', 'log bytes'], measuredRows),
      '',
      `Where the protection worker's write units go (per invocation, by call): protect ${protect.writes}; delete ${remove.writes}.`,
      ...[
        ['No-Op checkpoint worker run', protect.write],
        ['retention delete worker run', remove.write],
      ].map(
        ([what, wcu]) =>
          `- Target (issue #22) ${what} <= ${WORKER_WCU_TARGET} WCU: ${fmt(Number(wcu), 1)} WCU: ${Number(wcu) <= WORKER_WCU_TARGET ? 'met' : 'MISSED'}.`,
      ),
      "  Why (docs/decisions.md §18): the job's lease, progress and steps are on its own unindexed job item, 1 unit a write (97 and 87 WCU before, when each rewrote the checkpoint and its four index entries). What is left is two transactions, charged twice: the claim (the job item, and a ConditionCheck of the checkpoint that DynamoDB Local charges nothing and AWS bills as a write of its size) and above all the final write: the checkpoint (1-2 KB with the plan's copy) with its three list entries rewritten (or removed, once deleted) and its running-jobs entry removed, the job item's delete and the operation log with its two entries, 2 x 14. Under 20 needs the log's end through an outbox (the final write out of a transaction) and list indexes that do not project the whole checkpoint (KEYS_ONLY/INCLUDE, a new index per deploy with a backfill): not done yet.",
      '',
      'Target (issue #15): the monthly cost of each profile and the idle cost, computed from measured figures: met, with these limits:',
      `- Durations are this machine's (Node ${process.version} on x64, DynamoDB Local on loopback), not Lambda's arm64 at ${DEFAULT_MEMORY_MB} MB (about a third of a vCPU) calling DynamoDB over the network; the last column of the summary prices every Lambda duration 3x as a bound.`,
      `- Init is the module load of the handler's local bundle (section 5's method, \`require\` in a fresh Node process), billed since August 2025; every profile invocation is priced cold, the heartbeats warm (they run each minute).`,
      `- Log bytes: what the handlers wrote to stdout/stderr, plus an assumed ${PLATFORM_LOG_BYTES} bytes of Lambda platform records per invocation. X-Ray (tracing is active on every function): the default sampling rule keeps 1 trace a second and 5 % of the rest, so a burst of firings is priced as spread over its minute; looks and idle invocations are all traced. Custom metrics: a healthy profile emits two series (Checkpoints \`available\`, ScheduledRuns \`ran\`), within the 10 always free; their EMF log lines are written only on Lambda and are not counted.`,
      `- A real backup's own service charges are not included: EBS snapshots (per GB-month), DynamoDB on-demand backups or exports (per GB), S3 copies, AWS Backup. They depend on the protected data, not on Karbor, and come on top. A No-Op checkpoint's record is its table item (${bank.objects} bank objects here).`,
      "- Not priced: data transfer out (API responses are a few KB), API Gateway's and CloudFront's 12-month free tiers, and the one-off setup of plans, triggers and operations.",
      '',
      '### Summary',
      '',
      table(
        ['profile', 'firings / month', 'usage $ / month', 'with idle stack', 'after always-free tiers', 'all invocations warm', 'Lambda durations 3x'],
        totals,
      ),
      '',
      `### Idle: ${dollars(idlePriced.gross)} a month (${dollars(idlePriced.net)} after the always-free tiers)`,
      '',
      `What a deploy costs with no traffic (rules mode, the default; counted from the synthesized stack): ${synth.alarms} alarms reading ${synth.alarmMetrics} metrics (metric-math alarms bill per metric), ${synth.dashboards} dashboard, ${synth.kmsKeys} customer managed KMS keys (the bucket, queues and table use AWS-managed encryption), ${synth.queues} dead-letter queues (no requests while empty), ${synth.topics} SNS topic (free until an alarm mails), ${synth.logGroups} log groups (billed by what is written), ${synth.functions} functions (billed only when invoked). Cognito (cognito mode) at zero monthly active users, and the console's CloudFront distribution and S3 files at zero requests, cost nothing; the table's few fixed items (services, quota classes) and the console's files are well under a MB of storage, under $0.001 a month. The heartbeat rule invokes ${workers.filter((x) => x.heartbeat).length} workers every ${SERVICE_HEARTBEAT_SECONDS} s and the sweep runs every ${sweep.source.kind === 'every' ? sweep.source.minutes : 5} minutes: their measured invocations are below.`,
      '',
      pricedTable(idle),
      '',
      '### Per profile',
      '',
      ...profileSections.flatMap((s) => [s, '']),
      'Scheduler mode (the default) makes one schedule per trigger, priced per invocation above; rules mode (stacks from before that default) makes one EventBridge rule per trigger, whose scheduled invocations are not charged, but a bus holds 300 rules by default (an adjustable quota), too few for 10,000 triggers. 10,000 firings in the same minute would also exceed the default Lambda concurrency of 1,000 per account: the schedules send them to the firings queue, which fire-trigger drains at most `karbor:fireTriggerConcurrency` (10) at once, about 10 a second (docs/operations.md, What bounds a burst of jobs).',
      '',
      '### Prices',
      '',
      table(
        ['price', 'USD', 'always free / month', 'source', 'read'],
        (Object.entries(PRICES) as Array<[PriceKey, Price]>).map(([, p]) => [
          p.per,
          `$${p.usd.toPrecision(4)}`,
          p.free ? count(p.free) : '-',
          p.source,
          p.read,
        ]),
      ),
    ].join('\n');
  } finally {
    setMeterPaused(true);
  }
};

/** The same usage with every Lambda duration `factor` times longer. */
const scaleLambda = (u: Usage, factor: number): Usage => ({ ...u, lambdaGbS: (u.lambdaGbS ?? 0) * factor });
