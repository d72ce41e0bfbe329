import { Match } from 'aws-cdk-lib/assertions';
import { routes, type RouteDef } from '../../shared/http/routes';
import { stackNames } from '../../infra/names';
import { workers } from '../../shared/workers';
import { OUTCOME_METRICS } from '../../shared/observability/names';
import { type Synth, synthStack } from '../support/synth';

/** Issue 13 in the template: dead letters, names, clean-up, alarms, dashboard, the API edge, fit. */
const byType = (s: Synth, type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);

describe('operations (default context: scheduler, cognito)', () => {
  const s = synthStack({ 'karbor:alarmEmail': 'ops@example.com, oncall@example.com', 'karbor:throttleRate': '20', 'karbor:throttleBurst': '40' }, {}, 'Test');

  it('gives each worker an encrypted, TLS-only dead-letter queue for Lambda failures and its bus rule target', () => {
    // Beside them, Scheduler mode's firings queue (its own test: test/infra/stack.test.ts).
    const queues = byType(s, 'AWS::SQS::Queue').filter(([id]) => !id.startsWith('FireTriggerFirings'));
    expect(queues).toHaveLength(workers.length);
    for (const [, q] of queues) expect(q.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    for (const wid of ['protection.worker', 'scheduler.fireTrigger']) {
      const fn = s.resources[s.functionLogicalId(wid)].Properties;
      expect(fn.DeadLetterConfig.TargetArn['Fn::GetAtt'][0]).toMatch(/DeadLetters/);
    }
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    const tls = byType(s, 'AWS::SQS::QueuePolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(tls).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('refuses, by a guard custom resource, to enter Scheduler mode while the stack has trigger rules, and has no rule clean-up', () => {
    expect(byType(s, 'Custom::KarborTriggerCleanup')).toHaveLength(0);
    const [[, cr]] = byType(s, 'Custom::KarborTriggerModeGuard');
    expect(cr.Properties.Prefix).toBe('Test-trigger-');
    const [[fnId, fn]] = byType(s, 'AWS::Lambda::Function').filter(([, f]) => String(f.Properties.Description).startsWith('on entering Scheduler mode'));
    expect(cr.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(fn.Properties.Environment.Variables.TRIGGER_NAME_PREFIX).toBe('Test-trigger-');
    // Of EventBridge it may list rules and nothing else: it never removes one.
    const actions = byType(s, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('TriggerModeGuardFunction'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((st: { Action: string | string[] }) => [st.Action].flat()));
    expect(actions.filter((a: string) => !/^(logs|xray):/.test(a))).toEqual(['events:ListRules']);
    expect((cr as { DependsOn?: string[] }).DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^TriggerModeGuardFunctionServiceRole/)]));
    s.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Test' });
  });

  it('lets the notifier, fed by failure events on the karbor bus, publish to the alarm topic and nowhere else', () => {
    const [[topicId]] = byType(s, 'AWS::SNS::Topic');
    const fn = s.functionLogicalId('notifications.notify');
    expect(s.envOf('notifications.notify').NOTIFY_TOPIC_ARN).toEqual({ Ref: topicId });
    const publish = s.statementsOf('notifications.notify').filter((st) => JSON.stringify(st.Action).includes('sns:'));
    expect(publish).toEqual([{ Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: topicId } }]);
    const [[, rule]] = byType(s, 'AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties.Targets).includes(fn));
    expect(rule.Properties.EventPattern).toEqual({
      source: ['karbor'],
      'detail-type': ['Checkpoint Error', 'Checkpoint Error Deleting', 'Restore Failed', 'Verification Failed', 'Plan Late'],
    });
  });

  it('sends every alarm to the SNS topic, with the e-mail subscribers from context', () => {
    const [[topicId]] = byType(s, 'AWS::SNS::Topic');
    const subs = byType(s, 'AWS::SNS::Subscription').map(([, x]) => x.Properties);
    expect(subs.map((x) => x.Endpoint).sort()).toEqual(['oncall@example.com', 'ops@example.com']);
    const alarms = byType(s, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(8);
    for (const [, a] of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('watches errors and throttles of every function by metric math (10 a series), DLQ depth, the bus rule, API 5xx and checkpoint errors', () => {
    const alarms = byType(s, 'AWS::CloudWatch::Alarm').map(([id, a]) => [id, a.Properties] as const);
    const fnCount = byType(s, 'AWS::Lambda::Function').length;
    const watched = (prefix: string) =>
      alarms
        .filter(([id]) => id.startsWith(`Monitoring${prefix}`))
        .flatMap(([, a]) => a.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName));
    expect(watched('FunctionErrors').filter((n: string) => n === 'Errors')).toHaveLength(fnCount);
    expect(watched('FunctionThrottles').filter((n: string) => n === 'Throttles')).toHaveLength(fnCount);
    for (const [, a] of alarms) expect((a.Metrics ?? []).filter((m: { MetricStat?: unknown }) => m.MetricStat).length).toBeLessThanOrEqual(10);
    const single = alarms.map(([, a]) => a.MetricName).filter(Boolean);
    expect(single).toEqual(expect.arrayContaining(['ApproximateNumberOfMessagesVisible', 'FailedInvocations', 'Checkpoints', 'Restores']));
    const checkpoint = alarms.find(([, a]) => a.MetricName === 'Checkpoints')![1];
    expect(checkpoint).toMatchObject({
      Namespace: 'Karbor',
      Dimensions: expect.arrayContaining([
        { Name: 'outcome', Value: 'error' },
        { Name: 'service', Value: 'Test' },
      ]),
    });
    const api5xx = alarms.find(([id]) => id.startsWith('MonitoringApi5xxRate'))![1];
    expect(JSON.stringify(api5xx.Metrics)).toContain('5xx');
  });

  it('draws a dashboard of API traffic and latency, errors, checkpoints, restores, scheduled runs and DLQ depths', () => {
    const [[, dash]] = byType(s, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dash.Properties.DashboardBody);
    for (const title of [
      'API requests',
      'API latency',
      'Function errors',
      'Checkpoints by outcome (available, error)',
      'Restores by outcome (success, fail)',
      'ScheduledRuns by outcome (ran, skipped, dropped, failed)',
      'Dead-letter queue depths',
    ]) {
      expect(body).toContain(title);
    }
    // The names the code emits (countOutcome) are the ones the graphs search for.
    for (const name of Object.keys(OUTCOME_METRICS)) expect(body).toMatch(new RegExp(`MetricName=\\W+${name}\\W+service=\\W+Test\\W`));
  });

  it('logs every API request as JSON to a log group and throttles by context', () => {
    const [[, stage]] = byType(s, 'AWS::ApiGatewayV2::Stage');
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      user: '$context.authorizer.claims.sub',
    });
    expect(s.resources[stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]].Type).toBe('AWS::Logs::LogGroup');
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    const [[, api]] = byType(s, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });

  it('tells every function its service for Powertools and keeps each nested stack far below 500 resources', () => {
    for (const id of s.stack.routeFunctions.keys())
      expect(s.envOf(id)).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'Test', POWERTOOLS_METRICS_NAMESPACE: 'Karbor' });
    for (const t of s.templates.values()) expect(Object.keys(t.toJSON().Resources).length).toBeLessThan(200);
    expect(s.resources[s.functionLogicalId('protection.worker')].Properties.MemorySize).toBe(1024);
    expect(s.resources[s.functionLogicalId('versions.list')].Properties.MemorySize).toBe(256);
  });
});

describe('operations in rules mode (stacks from before the Scheduler default)', () => {
  const s = synthStack({ 'karbor:scheduler': 'rules' }, {}, 'Test');

  it('has no schedule group and no guard', () => {
    expect(byType(s, 'AWS::Scheduler::ScheduleGroup')).toHaveLength(0);
    expect(byType(s, 'Custom::KarborTriggerModeGuard')).toHaveLength(0);
  });

  it('lets only the stack trigger rules leave undelivered firings in the fire-trigger queue', () => {
    const statements = byType(s, 'AWS::SQS::QueuePolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(JSON.stringify(statements.find((st) => st.Condition?.ArnLike))).toContain(':rule/Test-trigger-*');
  });

  it('removes the run-time trigger rules when the stack is deleted', () => {
    const [[, cr]] = byType(s, 'Custom::KarborTriggerCleanup');
    expect(cr.Properties.Prefix).toBe('Test-trigger-');
    const [[fnId]] = byType(s, 'AWS::Lambda::Function').filter(([, f]) => String(f.Properties.Description).startsWith('on stack delete'));
    expect(cr.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    // Its policy outlives the call.
    expect((cr as { DependsOn?: string[] }).DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^TriggerCleanupFunctionServiceRoleDefaultPolicy/)]),
    );
  });
});

describe('operations while migrating from rules to Scheduler', () => {
  const s = synthStack({ 'karbor:scheduler': 'migrating' }, {}, 'Test');

  it('keeps the rules clean-up and their queue permission beside the schedule group, and has no guard', () => {
    expect(byType(s, 'Custom::KarborTriggerCleanup')).toHaveLength(1);
    expect(byType(s, 'Custom::KarborTriggerModeGuard')).toHaveLength(0);
    s.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Test' });
    const statements = byType(s, 'AWS::SQS::QueuePolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(JSON.stringify(statements.find((st) => st.Condition?.ArnLike))).toContain(':rule/Test-trigger-*');
    expect(s.envOf('triggers.create')).toMatchObject({ KARBOR_SCHEDULER: 'migrating', SCHEDULE_GROUP: 'Test' });
  });

  it('lets the trigger routes remove the stack trigger rules but never put one', () => {
    const statements = s.statementsOf('triggers.create');
    const ruleActions = statements
      .filter((st: any) => JSON.stringify(st.Resource).includes('Test-trigger-*') && JSON.stringify(st.Resource).includes(':rule/'))
      .flatMap((st: any) => [st.Action].flat());
    expect(ruleActions.sort()).toEqual(['events:DeleteRule', 'events:RemoveTargets']);
    expect(JSON.stringify(statements)).toContain('scheduler:CreateSchedule');
  });
});

describe('operations in other modes', () => {
  it('in scheduler mode gives the schedule role the dead-letter queue and alarms on dropped invocations; CORS and source maps only when asked', () => {
    const s = synthStack({ 'karbor:scheduler': 'scheduler', 'karbor:corsOrigins': 'https://console.example.com', 'karbor:sourceMaps': 'true' }, {}, 'Staging');
    expect(byType(s, 'Custom::KarborTriggerCleanup')).toHaveLength(0);
    s.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Staging' });
    const sends = byType(s, 'AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((st) => JSON.stringify(st.Action).includes('sqs:SendMessage'));
    expect(sends.length).toBeGreaterThan(0);
    expect(byType(s, 'AWS::CloudWatch::Alarm').some(([id]) => id.startsWith('MonitoringScheduleFailures'))).toBe(true);
    const [[, api]] = byType(s, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration).toMatchObject({
      AllowOrigins: ['https://console.example.com'],
      ExposeHeaders: expect.arrayContaining(['X-Openstack-Request-Id']),
    });
    for (const [, f] of byType(s, 'AWS::Lambda::Function')) expect(f.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(s.envOf('triggers.create')).toMatchObject({ SCHEDULE_GROUP: 'Staging', TRIGGER_NAME_PREFIX: 'Staging-trigger-' });
  });

  it('fits 30 more routes: every template stays under CloudFormation 500 resources', () => {
    const extra: RouteDef[] = Array.from({ length: 30 }, (_, i) => ({
      id: `extras${i % 3}.action${i}`,
      method: 'GET',
      path: `/v1/{project_id}/extras${i % 3}/a${i}`,
      module: 'functions/providers/list',
      policy: 'p',
      role: 'member',
      access: 'read',
    }));
    const s = synthStack({}, { routes: [...routes, ...extra] }, 'Big');
    expect(byType(s, 'AWS::Lambda::Function').length).toBeGreaterThanOrEqual(routes.length + 30);
    for (const [stack, t] of s.templates)
      expect({ stack: stack.node.path, count: Object.keys(t.toJSON().Resources).length < 500 }).toEqual({ stack: stack.node.path, count: true });
  });
});

describe('stackNames', () => {
  it('derives short names from the stack and keeps two long names apart', () => {
    expect(stackNames('KarborStack')).toEqual({
      prefix: 'KarborStack',
      eventBus: 'KarborStack',
      scheduleGroup: 'KarborStack',
      triggerPrefix: 'KarborStack-trigger-',
    });
    const a = stackNames('KarborProductionEuWest1');
    const b = stackNames('KarborProductionEuWest2');
    expect(a.prefix).not.toBe(b.prefix);
    expect(`${a.triggerPrefix}2b4b5e3c-1111-4c1f-9b7a-2d8f0e6a1b35`.length).toBeLessThanOrEqual(64);
  });
});
