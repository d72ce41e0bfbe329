/*
 * `npm run migrate:triggers`: puts an EventBridge Scheduler schedule for every
 * trigger stored in the table named by TABLE_NAME, in the group SCHEDULE_GROUP,
 * invoking FIRE_TRIGGER_ARN as SCHEDULER_ROLE_ARN (names TRIGGER_NAME_PREFIX,
 * dead letters TRIGGER_DLQ_ARN), then removes that trigger's old EventBridge
 * rule: the values of the stack's trigger functions after a deploy with
 * `-c karbor:scheduler=migrating`. Idempotent; prints what it did
 * (docs/operations.md "From rules to Scheduler on an existing stack").
 */
import path from 'node:path';
import { localHost } from '../infra/local/host';
import { triggerLimits, triggerScheduler, triggerStore } from '../shared/features/triggers/deps';
import { migrateTriggersToScheduler } from '../shared/features/triggers/migrate';

// This process's environment, with the migrating back end (schedule put, then rule removed), as the settings the migration composes with.
const host = localHost({ ...process.env, KARBOR_SCHEDULER: 'migrating' }, path.resolve(__dirname, '..'));
host
  .run(() => migrateTriggersToScheduler({ triggers: triggerStore(), limits: triggerLimits(), scheduler: triggerScheduler() }))
  .then(
    ({ stored, scheduled, unparsable }) => {
      console.log(`${stored} stored trigger(s), ${scheduled} schedule(s) put and their rules removed.`);
      if (unparsable.length > 0) {
        console.error(`No schedule for ${unparsable.length} trigger(s) whose properties no longer parse: ${unparsable.join(', ')}`);
        process.exitCode = 1;
      }
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
