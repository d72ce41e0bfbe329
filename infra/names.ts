import { createHash } from 'node:crypto';
import { Token } from 'aws-cdk-lib';

/**
 * Every name the app gives at deploy or run time, derived from the stack's
 * name so that two stacks (staging beside production) in one account and
 * region never share a bus, a schedule group or a trigger rule. Table,
 * bucket, queues and functions get CloudFormation's generated names.
 */
export interface StackNames {
  /** The stack name, shortened to fit (see PREFIX_LENGTH). */
  prefix: string;
  eventBus: string;
  scheduleGroup: string;
  /** `<prefix>-trigger-`: each trigger's rule or schedule is this and the trigger's uuid. */
  triggerPrefix: string;
}

/** Rule and schedule names hold 64 characters: 18 + `-trigger-` (9) + a uuid (36) = 63. */
const PREFIX_LENGTH = 18;

export const stackNames = (stackName: string): StackNames => {
  if (Token.isUnresolved(stackName)) throw new Error('the stack needs a literal name: every run-time name derives from it');
  const prefix =
    stackName.length <= PREFIX_LENGTH
      ? stackName
      : // Long names keep their start and a hash of the whole, so two long names stay apart.
        `${stackName.slice(0, PREFIX_LENGTH - 7)}-${createHash('sha256').update(stackName).digest('hex').slice(0, 6)}`;
  return { prefix, eventBus: prefix, scheduleGroup: prefix, triggerPrefix: `${prefix}-trigger-` };
};

/** `protectables.listInstances` -> `ProtectablesListInstances`: readable construct ids, and so logical ids. */
export const constructName = (id: string): string =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
