import { Duration } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { HEARTBEAT_EVENT, SERVICE_HEARTBEAT_SECONDS } from '../../shared/features/services/model';
import type { WorkerDef } from '../../shared/workers';
import { applyGrants, type GrantTargets } from '../grants';
import { constructName } from '../names';
import type { ApiFunction } from './api-function';
import type { FunctionFactory } from './functions';
import { StackPart } from './stack-part';
import { TenantAccess } from './tenant-access';

/** Every event the app puts on the bus has this `source`. */
export const EVENT_SOURCE = 'karbor';

const DEFAULT_WORKER_TIMEOUT = 60;
/** Lambda's own retries of an asynchronous invocation before its dead-letter queue, and the bus rule's. */
const ASYNC_RETRIES = 2;

export interface KarborJobsProps {
  workers: readonly WorkerDef[];
  functions: FunctionFactory;
}

/**
 * The workers (shared/workers.ts): one function each with a dead-letter
 * queue, wired to its source: a rule on the karbor bus, a fixed-rate rule,
 * the heartbeat rule, or the trigger back end (KarborScheduler). Two steps:
 * the functions first, since the grants of `wire` need fire-trigger's ARN and
 * the scheduler's role, which need the functions.
 */
export class KarborJobs extends StackPart {
  /** By worker id. */
  readonly functions = new Map<string, ApiFunction>();
  /** By worker id: what its sources invoke (a durable worker's `live` alias, else the function). */
  readonly targets = new Map<string, IFunction>();
  /** By worker id: where its failed invocations land. */
  readonly deadLetterQueues = new Map<string, Queue>();
  /** The rules on the karbor bus (by the worker's readable name), for the alarms on failed invocations. */
  readonly busRules = new Map<string, { ruleName: string; eventBusName: string }>();
  /** The worker with the `trigger-schedules` source, and its dead-letter queue. */
  readonly fireTrigger?: { fn: ApiFunction; deadLetters: Queue };
  /** The plain function that reports the durable workers' service rows (wireHeartbeat); none without one. */
  heartbeatFunction?: ApiFunction;
  private readonly workers: readonly WorkerDef[];
  private readonly factory: FunctionFactory;

  constructor(scope: Construct, id: string, props: KarborJobsProps) {
    super(scope, id);
    this.workers = props.workers;
    this.factory = props.functions;
    for (const worker of props.workers) {
      const dlq = this.deadLetterQueue(`${constructName(worker.id)}DeadLetters`);
      const f = props.functions.forDef(this.stack, worker, { timeout: DEFAULT_WORKER_TIMEOUT, description: `worker ${worker.id}`, deadLetterQueue: dlq });
      this.functions.set(worker.id, f);
      // A durable function is invoked by a qualified ARN: its rules target the `live` alias of its current version.
      this.targets.set(worker.id, worker.durable ? f.addAlias('live') : f);
      this.deadLetterQueues.set(worker.id, dlq);
      if (worker.source.kind === 'trigger-schedules') {
        if (this.fireTrigger) throw new Error(`two workers have the trigger-schedules source: ${worker.id} and another`);
        this.fireTrigger = { fn: f, deadLetters: dlq };
      }
    }
  }

  /** The workers' grants, and the rules that invoke them. */
  wire(given: GrantTargets): void {
    const bus = given.bus;
    const targets = { ...given, tenantAccess: this.tenantAccess(given) };
    for (const worker of this.workers) {
      const target = this.targets.get(worker.id)!;
      const deadLetterQueue = this.deadLetterQueues.get(worker.id);
      applyGrants(this.functions.get(worker.id)!, worker.grants ?? [], targets);
      if (worker.source.kind === 'bus') {
        const rule = new Rule(this.stack, `${constructName(worker.id)}Rule`, {
          eventBus: bus,
          description: `karbor events for worker ${worker.id}`,
          eventPattern: { source: [EVENT_SOURCE], detailType: [...worker.source.detailTypes] },
          // What EventBridge cannot deliver lands where the function's own failures do.
          targets: [new LambdaFunction(target, { retryAttempts: ASYNC_RETRIES, maxEventAge: Duration.hours(6), deadLetterQueue })],
        });
        this.busRules.set(constructName(worker.id), { ruleName: rule.ruleName, eventBusName: bus.eventBusName });
      }
      if (worker.source.kind === 'daily') {
        const { hour, minute } = worker.source;
        new Rule(this.stack, `${constructName(worker.id)}Schedule`, {
          description: `runs worker ${worker.id} daily at ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} UTC`,
          schedule: Schedule.cron({ minute: String(minute), hour: String(hour) }),
          targets: [new LambdaFunction(target, { retryAttempts: 2, deadLetterQueue })],
        });
      }
      if (worker.source.kind === 'every') {
        new Rule(this.stack, `${constructName(worker.id)}Schedule`, {
          description: `runs worker ${worker.id} every ${worker.source.minutes} minutes`,
          schedule: Schedule.rate(Duration.minutes(worker.source.minutes)),
          targets: [new LambdaFunction(target, { retryAttempts: 0, deadLetterQueue })],
        });
      }
    }
    this.wireHeartbeat(targets.table);
  }

  /** The role the `protect-aws` workers' plugins act as, per project (none when no worker has that grant). */
  private tenantAccess(targets: GrantTargets): TenantAccess | undefined {
    const trusted = this.workers.filter((w) => w.grants?.includes('protect-aws')).map((w) => this.functions.get(w.id)!.role!);
    if (trusted.length === 0) return undefined;
    return new TenantAccess(this.stack, 'TenantAccess', { trusted, projectTagKey: targets.projectTagKey, table: targets.table, bank: targets.bank });
  }

  /** An encrypted, TLS-only queue holding what failed for two weeks (SQS's longest). */
  private deadLetterQueue(id: string): Queue {
    return new Queue(this.stack, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
  }

  /**
   * One scheduled rule (default bus) each minute, so every heartbeat worker's
   * service row says `up` while it can run, idle included (README "Service
   * health"): a plain worker is invoked with HEARTBEAT_EVENT and reports
   * itself; the durable workers' rows are reported by the heartbeat function,
   * a plain one, since each invocation of a durable function starts a durable
   * execution (1,440 a day, each history kept).
   */
  private wireHeartbeat(table: ITable): void {
    const beating = this.workers.filter((w) => w.heartbeat);
    if (beating.length === 0) return;
    const targets = beating
      .filter((w) => !w.durable)
      .map(
        (w) =>
          new LambdaFunction(this.targets.get(w.id)!, {
            event: RuleTargetInput.fromObject(HEARTBEAT_EVENT),
            retryAttempts: 0,
            deadLetterQueue: this.deadLetterQueues.get(w.id),
          }),
      );
    if (beating.some((w) => w.durable)) {
      const heartbeat = this.factory
        .own(this.stack, 'HeartbeatFunction', {
          module: 'functions/services/heartbeat',
          timeout: 30,
          memorySize: 256,
          description: 'each minute: the service rows of the durable workers (os-services)',
        })
        .bindTable({ table, access: 'write' });
      // A missed beat is the next minute's (no retry); an undeliverable one lands where the durable worker's
      // failures do, as when the rule invoked the worker (a redriven heartbeat only reports).
      const durableQueue = this.deadLetterQueues.get(beating.find((w) => w.durable)!.id);
      targets.push(new LambdaFunction(heartbeat, { event: RuleTargetInput.fromObject(HEARTBEAT_EVENT), retryAttempts: 0, deadLetterQueue: durableQueue }));
      this.heartbeatFunction = heartbeat;
    }
    new Rule(this.stack, 'HeartbeatRule', {
      description: 'karbor service heartbeat (os-services)',
      schedule: Schedule.rate(Duration.seconds(SERVICE_HEARTBEAT_SECONDS)),
      targets,
    });
  }
}
