import type { Grant } from './http/routes';
import { WORK_EVENT_TYPES } from './events/names';
import { NOTIFIED_EVENTS } from './features/notifications/model';
import { SERVICE_BINARIES } from './features/services/model';

/**
 * Functions that no HTTP route invokes: the only place they are declared.
 * The CDK stack makes one function each and wires its source; the local
 * runtime drives the same modules (local scheduler, in-process bus).
 */
export interface WorkerDef {
  id: string;
  /** Handler module (exports `handler`), relative to the repo root, without extension. */
  module: string;
  access: 'read' | 'write';
  grants?: readonly Grant[];
  /** Seconds; default 60. */
  timeout?: number;
  /** MB; default 512. */
  memory?: number;
  /**
   * What invokes it: `trigger-schedules` = the EventBridge rules (or Scheduler
   * schedules) of time triggers, with the input transformer's payload;
   * `bus` = events on the karbor bus with one of these detail-types;
   * `every` = a fixed rate (an EventBridge schedule rule on AWS; every minute of
   * the local scheduler under `npm start`); `daily` = once a day at this UTC
   * time (an EventBridge cron rule on AWS; the local scheduler's minute of it).
   */
  source:
    | { kind: 'trigger-schedules' }
    | { kind: 'bus'; detailTypes: readonly string[] }
    | { kind: 'every'; minutes: number }
    | { kind: 'daily'; hour: number; minute: number };
  /**
   * The service row (shared/features/services/model.ts) kept `up` every minute
   * while idle. A plain function is invoked with HEARTBEAT_EVENT and its handler
   * answers it by reporting only; a durable one is never invoked for it (each
   * invocation would start a durable execution): the heartbeat function
   * (functions/services/heartbeat.ts) reports its row instead.
   */
  heartbeat?: { service: (typeof SERVICE_BINARIES)[keyof typeof SERVICE_BINARIES] };
  /**
   * A Lambda durable function (README "The job engine"): its jobs run as
   * checkpointed steps and waits for up to `executionHours`; its sources
   * invoke its `live` alias (a durable function is invoked by a qualified
   * ARN), and its concurrency may be reserved (`karbor:workerConcurrency`, none by default).
   */
  durable?: { executionHours: number };
}

/** The worker the stack lets publish to its alarm topic (infra/stack.ts), once the topic exists. */
export const NOTIFIER_WORKER_ID = 'notifications.notify';

/** The daily reports worker (infra/stack.ts leaves it out under `karbor:dailyReports` false). */
export const DAILY_REPORTS_WORKER_ID = 'reports.daily';

export const workers: readonly WorkerDef[] = [
  // Starts checkpoints through the protection feature, and drills' verifications (docs/decisions.md §24), which put work requests on the karbor bus;
  // removes the rule of a trigger that can fire no more.
  {
    id: 'scheduler.fireTrigger',
    module: 'functions/scheduler/fire-trigger',
    access: 'write',
    grants: ['publish-events', 'trigger-schedules'],
    source: { kind: 'trigger-schedules' },
    heartbeat: { service: SERVICE_BINARIES.operationEngine },
  },
  {
    id: 'protection.worker',
    module: 'functions/protection/worker',
    access: 'write',
    // Reads plans and protectables (discovery), runs plugins (protect-aws), keeps data in the bank, publishes lifecycle events.
    grants: ['discovery', 'protect-aws', 'bank-read', 'bank-write', 'publish-events', 'copy-destinations'],
    timeout: 900,
    // The largest bundle (EC2, S3, DynamoDB clients) and the plugins' waits and copies: more CPU and room.
    memory: 1024,
    // Every work request (shared/events/names.ts): a renamed or added one follows here, never leaving the worker idle.
    source: { kind: 'bus', detailTypes: WORK_EVENT_TYPES },
    heartbeat: { service: SERVICE_BINARIES.protection },
    // Longer than a job's deadline (KARBOR_JOB_DEADLINE_SECONDS, 6 h by default): the deadline ends a job, not the engine.
    durable: { executionHours: 24 },
  },
  {
    // Re-delivers jobs whose bus delivery was lost (shared/features/protection/use-cases.ts redeliverStalledJobs).
    id: 'protection.sweep',
    module: 'functions/protection/sweep',
    access: 'write',
    grants: ['publish-events'],
    source: { kind: 'every', minutes: 5 },
  },
  {
    // Judges every plan's compliance, publishes LatePlans and a Plan Late / Plan Recovered event per transition (docs/decisions.md §20).
    id: 'compliance.evaluate',
    module: 'functions/compliance/evaluate',
    access: 'write',
    grants: ['publish-events'],
    source: { kind: 'every', minutes: 15 },
  },
  {
    // Each project's report of the UTC day before, with jobs in it (docs/decisions.md §22); `karbor:dailyReports` false leaves it out.
    id: DAILY_REPORTS_WORKER_ID,
    module: 'functions/reports/daily',
    access: 'read',
    grants: ['bank-write'],
    timeout: 900,
    source: { kind: 'daily', hour: 0, minute: 15 },
  },
  {
    // Tells operators of failed jobs, failed verifications and late plans on the stack alarm topic, at most once per kind per window.
    id: NOTIFIER_WORKER_ID,
    module: 'functions/notifications/notify',
    access: 'write',
    timeout: 30,
    memory: 256,
    source: { kind: 'bus', detailTypes: NOTIFIED_EVENTS },
  },
];

export const workerById = (id: string): WorkerDef => {
  const found = workers.find((w) => w.id === id);
  if (!found) throw new Error(`unknown worker id ${id}`);
  return found;
};
