import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import { countOutcome } from '../../observability/metrics';
import { protectionService } from '../checkpoints/deps';
import { drillService } from '../drills/deps';
import { operationLogs } from '../operation-logs/deps';
import { scheduledOperationStore } from '../scheduled-operations/deps';
import { serviceStore } from '../services/deps';
import { triggerCalendar, triggerLimits, triggerScheduler, triggerStore } from '../triggers/deps';
import type { FireTriggerDeps } from './model';
import { dynamoRunStore } from './store';
import { jsonLog } from '../../observability/log';

/**
 * The fire-trigger function's ports, built once per instance. The schedule
 * port is made on the first firing: the rules it retires or puts back target
 * the function's own invoked ARN, which only the invocation knows.
 */
export const fireTriggerDeps = (): ((invokedArn: string) => FireTriggerDeps) => {
  const doc = documentClient();
  const table = tableName();
  const protection = protectionService();
  const deps = {
    triggers: triggerStore(),
    operations: scheduledOperationStore(),
    runs: dynamoRunStore(doc, table, systemClock),
    logs: operationLogs(),
    services: serviceStore(),
    protection,
    drills: drillService(protection),
    limits: triggerLimits(),
    calendar: triggerCalendar(),
    host: config.serviceHost(),
    clock: systemClock,
    ids: randomIds,
    log: jsonLog,
    countRun: (outcome: string) => countOutcome('ScheduledRuns', outcome),
  };
  let withScheduler: FireTriggerDeps | undefined;
  return (invokedArn) => (withScheduler ??= { ...deps, scheduler: triggerScheduler(invokedArn) });
};
