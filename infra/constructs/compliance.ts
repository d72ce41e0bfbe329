import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/observability/names';
import { workerById } from '../../shared/workers';

export interface ComplianceAlarmProps {
  /** The stack's name prefix: the `service` dimension of the app's metrics. */
  service: string;
  /** Where the alarm and its recovery are sent (the monitoring topic). */
  topic: ITopic;
}

/**
 * The alarm on late plans (docs/decisions.md §20): the compliance evaluator
 * (the `compliance.evaluate` worker, which the jobs part schedules with its
 * least-privilege grants) publishes `LatePlans` on every run, 0 included;
 * the alarm fires on any late plan and, treating missing data as breaching,
 * also when the evaluator stopped publishing (a broken evaluator must not
 * read as "nothing is late").
 */
export class ComplianceAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: ComplianceAlarmProps) {
    super(scope, id);
    const source = workerById('compliance.evaluate').source;
    // One period per evaluation: a period without a value is a missed run, not a gap between runs.
    const minutes = source.kind === 'every' ? source.minutes : 15;
    this.alarm = new Alarm(this, 'LatePlans', {
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'LatePlans',
        dimensionsMap: { service: props.service },
        statistic: 'Maximum',
        period: Duration.minutes(minutes),
      }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
      alarmDescription:
        'A plan has had no good checkpoint within two expected intervals (GET /v1/{project}/plans shows which: compliance.status late), or the compliance evaluator stopped publishing LatePlans',
    });
    const action = new SnsAction(props.topic);
    this.alarm.addAlarmAction(action);
    this.alarm.addOkAction(action);
  }
}
