/** The CloudWatch namespace of the app's own metrics (EMF); each carries `service` (the stack) and `outcome`. */
export const METRICS_NAMESPACE = 'Karbor';

/**
 * The app's own metrics and the outcomes each counts: what the code emits
 * (shared/observability/metrics.ts) and what the alarms and the dashboard
 * read (infra/constructs/monitoring.ts).
 */
export const OUTCOME_METRICS = {
  /** A checkpoint's final status. */
  Checkpoints: ['available', 'error'],
  /** A restore's final status. */
  Restores: ['success', 'fail'],
  /** A scheduled operation's run for one occurrence: protected (ran) or not (failed), or logged without running (skipped, dropped). */
  ScheduledRuns: ['ran', 'skipped', 'dropped', 'failed'],
} as const;

export type OutcomeMetric = keyof typeof OUTCOME_METRICS;
export type Outcome<M extends OutcomeMetric> = (typeof OUTCOME_METRICS)[M][number];

/** The app's gauges (one value per evaluation, dimension `service` only) and what each says. */
export const GAUGE_METRICS = {
  /** Plans that are late now (docs/decisions.md §20), published by the compliance evaluator on each run. */
  LatePlans: 'plans with no good checkpoint within two expected intervals',
} as const;
