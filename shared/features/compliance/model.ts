import type { Clock, EventPublisher, Log } from '../../kernel/ports';
import type { ComplianceFleet } from '../plans/model';

/**
 * The compliance evaluator (docs/decisions.md §20): every plan judged on a
 * schedule, one `LatePlans` count, and a `Plan Late` / `Plan Recovered`
 * event once per transition. The rules themselves are the plans feature's
 * (`judgeCompliance` in plans/model.ts), so the API and the evaluator agree.
 */
export interface EvaluatorDeps {
  fleet: ComplianceFleet;
  events: EventPublisher;
  /** Publishes the count of late plans (a CloudWatch metric on AWS; nothing locally). */
  latePlans(count: number): void;
  clock: Clock;
  log: Log;
}

/** What one evaluation found and did. */
export interface Evaluation {
  plans: number;
  late: number;
  /** The plans whose verdict changed in this run, with the event sent for each. */
  transitions: Array<{ planId: string; projectId: string; event: string }>;
}
