import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, OUTCOME_METRICS, type Outcome, type OutcomeMetric } from '../../shared/observability/names';

export interface MonitoringProps {
  /** The stack's name prefix: the `service` dimension of the app's own metrics and the dashboard's name. */
  service: string;
  api: HttpApi;
  functions: readonly IFunction[];
  deadLetterQueues: ReadonlyMap<string, IQueue>;
  /** Rules the stack made on the karbor bus (by a readable name), for failed invocations. */
  busRules: ReadonlyMap<string, { ruleName: string; eventBusName: string }>;
  scheduleGroup?: ScheduleGroup;
  emails: readonly string[];
}

/** CloudWatch alarms on metric math hold 10 metrics. */
const MATH_METRICS = 10;
const PERIOD = Duration.minutes(5);

const chunks = <T>(xs: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, i * size + size));

/** One series: the sum of up to 10 metrics (empty periods count 0). */
const sumOf = (metrics: readonly IMetric[], label: string, idPrefix: string): MathExpression =>
  new MathExpression({
    // Ids unique across the expressions one graph shows.
    expression: `SUM([${metrics.map((_, i) => `${idPrefix}${i}`).join(',')}])`,
    usingMetrics: Object.fromEntries(metrics.map((m, i) => [`${idPrefix}${i}`, m])),
    label,
    period: PERIOD,
  });

/**
 * Where failures are seen: an SNS topic (e-mail subscribers from
 * `karbor:alarmEmail`), alarms on everything that can fail quietly, and a
 * dashboard of traffic, errors and the work the app does.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `Karbor alarms (${props.service})`, enforceSSL: true });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
    const action = new SnsAction(this.topic);
    const alarm = (name: string, metric: IMetric, description: string, threshold = 1, evaluationPeriods = 1): Alarm => {
      const a = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    const app = <M extends OutcomeMetric>(metricName: M, outcome: Outcome<M>) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: props.service, outcome }, statistic: 'Sum', period: PERIOD });

    // Metric math over every function, ten a series (the alarm limit).
    const errorGroups = chunks(props.functions, MATH_METRICS).map((fns, i) =>
      sumOf(
        fns.map((f) => f.metricErrors({ period: PERIOD })),
        `errors ${i + 1}`,
        `e${i}_`,
      ),
    );
    const throttleGroups = chunks(props.functions, MATH_METRICS).map((fns, i) =>
      sumOf(
        fns.map((f) => f.metricThrottles({ period: PERIOD })),
        `throttles ${i + 1}`,
        `t${i}_`,
      ),
    );
    for (const [i, m] of errorGroups.entries()) {
      alarm(`FunctionErrors${i + 1}`, m, `Lambda errors in functions ${i * MATH_METRICS + 1}-${(i + 1) * MATH_METRICS} of the stack`);
    }
    for (const [i, m] of throttleGroups.entries()) {
      alarm(`FunctionThrottles${i + 1}`, m, `Lambda throttles in functions ${i * MATH_METRICS + 1}-${(i + 1) * MATH_METRICS} of the stack`);
    }

    const depths = [...props.deadLetterQueues].map(([name, q]) => {
      const depth = q.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' });
      alarm(`${name}DeadLetters`, depth, `${name}: invocations that failed after their retries wait in the dead-letter queue (README, "Redrive")`);
      return depth.with({ label: name });
    });

    for (const [name, rule] of props.busRules) {
      alarm(
        `${name}RuleFailedInvocations`,
        new Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          dimensionsMap: { EventBusName: rule.eventBusName, RuleName: rule.ruleName },
          statistic: 'Sum',
          period: PERIOD,
        }),
        `EventBridge could not invoke ${name}`,
      );
    }
    if (props.scheduleGroup) {
      const g = props.scheduleGroup;
      alarm(
        'ScheduleFailures',
        new MathExpression({
          expression: 'dropped + lost',
          usingMetrics: { dropped: g.metricDropped({ period: PERIOD }), lost: g.metricFailedToBeSentToDLQ(undefined, { period: PERIOD }) },
          period: PERIOD,
        }),
        'EventBridge Scheduler dropped trigger invocations (retries spent, or the dead-letter queue unreachable)',
      );
    }

    const requests = props.api.metricCount({ period: PERIOD, statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: PERIOD, statistic: 'Sum' });
    alarm(
      'Api5xxRate',
      new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: { requests, errors: serverErrors },
        label: '5xx %',
        period: PERIOD,
      }),
      'More than 5 % of API requests answered 5xx, two periods running',
      5,
      2,
    );
    alarm('CheckpointErrors', app('Checkpoints', 'error'), 'A checkpoint ended in error');
    alarm('RestoreErrors', app('Restores', 'fail'), 'A restore failed');

    // One graph per app metric (shared/observability/names.ts), a line per outcome.
    const byOutcome = (Object.keys(OUTCOME_METRICS) as OutcomeMetric[]).map(
      (metricName) =>
        new GraphWidget({
          title: `${metricName} by outcome (${OUTCOME_METRICS[metricName].join(', ')})`,
          left: [
            new MathExpression({
              expression: `SEARCH('{${METRICS_NAMESPACE},outcome,service} MetricName="${metricName}" service="${props.service}"', 'Sum', 300)`,
              label: '',
              period: PERIOD,
            }),
          ],
          width: 8,
        }),
    );
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${props.service}-karbor` });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
      new GraphWidget({
        title: 'API requests',
        left: [requests, props.api.metricClientError({ period: PERIOD, statistic: 'Sum' }), serverErrors],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        left: ['p50', 'p90', 'p99'].map((p) => props.api.metricLatency({ period: PERIOD, statistic: p, label: p })),
        width: 12,
      }),
      new GraphWidget({ title: 'Function errors', left: errorGroups, width: 12 }),
      new GraphWidget({ title: 'Function throttles', left: throttleGroups, width: 12 }),
      ...byOutcome,
      new GraphWidget({ title: 'Dead-letter queue depths', left: depths, width: 24 }),
    );
  }
}
