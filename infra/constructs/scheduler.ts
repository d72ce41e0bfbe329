import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { triggerRuleArnPattern } from '../grants';
import type { SchedulerMode } from '../config';
import type { StackNames } from '../names';
import type { ApiFunction } from './api-function';
import type { FunctionFactory } from './functions';
import { StackPart } from './stack-part';

/** A queue's visibility timeout in timeouts of the function it feeds, as Lambda advises for an SQS source. */
const VISIBILITY_PER_TIMEOUT = 6;
/** Deliveries of one firing before it moves to fire-trigger's dead-letter queue (Lambda's 2 retries plus the first, as before). */
const FIRINGS_RECEIVES = 3;

export interface KarborSchedulerProps {
  /** `karbor:scheduler`: EventBridge Scheduler schedules in one group, an EventBridge rule per trigger, or both while migrating. */
  scheduler: SchedulerMode;
  /** `karbor:fireTriggerConcurrency`: the most fire-trigger invocations the firings queue starts at once. */
  fireTriggerConcurrency: number;
  names: StackNames;
  /** The fire-trigger worker (KarborJobs) and its dead-letter queue. */
  fireTrigger: { fn: ApiFunction; deadLetters: Queue };
  functions: FunctionFactory;
}

/**
 * The time triggers' back end: lets the Scheduler schedules (or trigger
 * rules, or both while migrating) invoke the fire-trigger worker and leave
 * what they cannot deliver in its dead-letter queue; the rules made at run
 * time go with the stack (a clean-up on delete), the schedules with their
 * group. Scheduler mode has a deploy guard that refuses to start while the
 * stack still has trigger rules (functions/scheduler/trigger-mode-guard.ts).
 */
export class KarborScheduler extends StackPart {
  /** Scheduler mode: the group of the triggers' schedules. */
  readonly scheduleGroup?: ScheduleGroup;
  /** Scheduler mode: the role EventBridge Scheduler assumes to send a firing to the queue. */
  readonly role?: Role;
  /** Scheduler and migrating modes: where the schedules send their firings, drained by fire-trigger at a bounded concurrency. */
  readonly firings?: Queue;
  /** Rules and migrating modes: the clean-up run when the stack is deleted. */
  readonly cleanupFunction?: ApiFunction;
  /** Scheduler mode: refuses the deploy that would enter it while trigger rules exist. */
  readonly guardFunction?: ApiFunction;

  constructor(scope: Construct, id: string, props: KarborSchedulerProps) {
    super(scope, id);
    const { fn: fireTrigger, deadLetters: dlq } = props.fireTrigger;
    if (props.scheduler !== 'scheduler') {
      // Each trigger's rule (`<stack>-trigger-<id>`, default bus) targets fire-trigger directly.
      const rules = triggerRuleArnPattern(this.stack, props.names);
      fireTrigger.addPermission('TriggerRulesInvoke', {
        principal: new ServicePrincipal('events.amazonaws.com'),
        sourceArn: rules,
        sourceAccount: this.stack.account,
      });
      dlq.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [dlq.queueArn],
          conditions: { ArnLike: { 'aws:SourceArn': rules } },
        }),
      );
      this.cleanupFunction = this.triggerRuleCleanup(props);
      if (props.scheduler === 'rules') return;
    } else {
      this.guardFunction = this.triggerModeGuard(props);
    }
    // In the stack's scope: the group's logical id predates the split (StackPart).
    this.scheduleGroup = new ScheduleGroup(this.stack, 'ScheduleGroup', { scheduleGroupName: props.names.scheduleGroup, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this.stack, 'SchedulerInvokeRole', {
      description: 'assumed by EventBridge Scheduler to invoke fire-trigger',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.stack.account } },
      }),
    });
    // Schedules put before the firings queue existed still invoke fire-trigger until migrate:triggers puts them again.
    this.role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fireTrigger.functionArn] }));
    dlq.grantSendMessages(this.role);
    this.firings = this.firingsQueue(props);
    this.firings.grantSendMessages(this.role);
  }

  /**
   * The bound on a minute of many firings: the schedules send to this queue,
   * and its event source mapping hands one firing at a time to at most
   * `karbor:fireTriggerConcurrency` fire-trigger invocations, so a burst
   * waits in the queue instead of taking the API's concurrency; a firing
   * received three times moves to fire-trigger's dead-letter queue.
   */
  private firingsQueue({ fireTrigger, fireTriggerConcurrency }: KarborSchedulerProps): Queue {
    const queue = new Queue(this.stack, 'FireTriggerFirings', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Unset, a function times out after Lambda's default of 3 s.
      visibilityTimeout: Duration.seconds(VISIBILITY_PER_TIMEOUT * (fireTrigger.fn.timeout ?? Duration.seconds(3)).toSeconds()),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: fireTrigger.deadLetters, maxReceiveCount: FIRINGS_RECEIVES },
    });
    fireTrigger.fn.addEventSource(new SqsEventSource(queue, { batchSize: 1, maxConcurrency: fireTriggerConcurrency, reportBatchItemFailures: true }));
    return queue;
  }

  /**
   * Entering Scheduler mode removes the rules-mode clean-up, whose delete
   * removes every trigger rule: the guard's create fails first while rules
   * exist, so the deploy rolls back with the migration's steps as its reason.
   */
  private triggerModeGuard(props: KarborSchedulerProps): ApiFunction {
    return this.ruleCustomResource(props, {
      id: 'TriggerModeGuard',
      module: 'functions/scheduler/trigger-mode-guard',
      resourceType: 'Custom::KarborTriggerModeGuard',
      timeout: 60,
      description: `on entering Scheduler mode: refuses while ${props.names.triggerPrefix}* rules exist`,
    });
  }

  /**
   * Deleting the stack removes the trigger rules the app made at run time
   * (functions/scheduler/cleanup-triggers.ts); the README names the command
   * that does the same by hand.
   */
  private triggerRuleCleanup(props: KarborSchedulerProps): ApiFunction {
    const cleanup = this.ruleCustomResource(props, {
      id: 'TriggerCleanup',
      module: 'functions/scheduler/cleanup-triggers',
      resourceType: 'Custom::KarborTriggerCleanup',
      timeout: 300,
      description: `on stack delete: removes the ${props.names.triggerPrefix}* rules`,
    });
    cleanup.addToRolePolicy(
      new PolicyStatement({ actions: ['events:RemoveTargets', 'events:DeleteRule'], resources: [triggerRuleArnPattern(this.stack, props.names)] }),
    );
    return cleanup;
  }

  /**
   * A custom resource (`<id>`, its function `<id>Function`) that looks at the
   * stack's trigger rules: the function lists them (ListRules takes a name
   * prefix, not a resource, so it cannot be scoped: nag.ts names it), and the
   * resource depends on its role, so the role and policy outlive the delete
   * call (the function does through the service token).
   */
  private ruleCustomResource(
    { names, functions }: KarborSchedulerProps,
    o: { id: string; module: string; resourceType: string; timeout: number; description: string },
  ): ApiFunction {
    const fn = functions.own(this.stack, `${o.id}Function`, {
      module: o.module,
      timeout: o.timeout,
      memorySize: 256,
      description: o.description,
      environment: { TRIGGER_NAME_PREFIX: names.triggerPrefix },
    });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['events:ListRules'], resources: ['*'] }));
    const resource = new CustomResource(this.stack, o.id, {
      serviceToken: fn.functionArn,
      resourceType: o.resourceType,
      properties: { Prefix: names.triggerPrefix },
    });
    resource.node.addDependency(fn.role!);
    return fn;
  }
}
