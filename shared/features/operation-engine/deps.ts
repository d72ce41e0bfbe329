import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import { countOutcome } from '../../observability/metrics';
import { protectionServiceOver } from '../checkpoints/use-cases';
import { checkpointDeps } from '../checkpoints/deps';
import { operationLogStore } from '../operation-logs/store';
import { dynamoScheduledOperationStore } from '../scheduled-operations/store';
import { dynamoServiceStore } from '../services/store';
import { triggerLimits, triggerScheduler } from '../triggers/deps';
import { dynamoTriggerStore } from '../triggers/store';
import type { FireTriggerDeps, ProtectionService } from './model';
import { dynamoRunStore } from './store';

/**
 * The real ProtectionService for the scheduler (fire-trigger): checkpoints on
 * the table, work requests on the karbor bus (or the local bus). Build it once
 * at module scope.
 */
const protectionService = (env?: config.Env): ProtectionService => protectionServiceOver(checkpointDeps(env));

/**
 * The fire-trigger function's ports, built once per instance. The schedule
 * port is made on the first firing: the rules it retires or puts back target
 * the function's own invoked ARN, which only the invocation knows.
 */
export const fireTriggerDeps = (): ((invokedArn: string) => FireTriggerDeps) => {
  const doc = documentClient();
  const table = tableName();
  const deps = {
    triggers: dynamoTriggerStore(doc, table),
    operations: dynamoScheduledOperationStore(doc, table),
    runs: dynamoRunStore(doc, table),
    logs: operationLogStore(doc, table),
    services: dynamoServiceStore(doc, table),
    protection: protectionService(),
    limits: triggerLimits(),
    host: config.serviceHost(),
    clock: systemClock,
    ids: randomIds,
    countRun: (outcome: string) => countOutcome('ScheduledRuns', outcome),
  };
  let withScheduler: FireTriggerDeps | undefined;
  return (invokedArn) => (withScheduler ??= { ...deps, scheduler: triggerScheduler(undefined, invokedArn) });
};
