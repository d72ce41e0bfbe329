import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import * as config from '../config';
import { type GAUGE_METRICS, METRICS_NAMESPACE, type OutcomeMetric } from './names';

let metrics: Metrics | undefined;

/**
 * Counts one outcome (a checkpoint `available`/`error`, a restore
 * `success`/`fail`, a scheduled run `ran`/`skipped`/`dropped`/`failed`) as an
 * EMF line, dimensions `service` (the stack) and `outcome`: the stack's alarms
 * and dashboard read them. Only on Lambda, where CloudWatch turns the line
 * into a metric; elsewhere it would only be noise.
 */
export const countOutcome = (name: OutcomeMetric, outcome: string): void => {
  if (!config.lambdaFunctionName()) return;
  metrics ??= new Metrics({ namespace: METRICS_NAMESPACE });
  const single = metrics.singleMetric();
  single.addDimension('outcome', outcome);
  single.addMetric(name, MetricUnit.Count, 1);
};

/**
 * Publishes one value of a gauge (`LatePlans`: how many plans are late now),
 * dimension `service` only, as an EMF line; only on Lambda, as above. The
 * alarm on it treats a missing value as breaching, so the gauge is published
 * on every run, 0 included.
 */
export const publishGauge = (name: keyof typeof GAUGE_METRICS, value: number): void => {
  if (!config.lambdaFunctionName()) return;
  metrics ??= new Metrics({ namespace: METRICS_NAMESPACE });
  metrics.singleMetric().addMetric(name, MetricUnit.Count, value);
};
