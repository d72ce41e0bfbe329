import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { countTriggerRules } from '../../shared/features/triggers/deps';
import { answerCloudFormation } from './custom-resource';

/**
 * Scheduler mode's deploy guard (custom resource `Custom::KarborTriggerModeGuard`):
 * a stack whose triggers still have EventBridge rules must not land in
 * Scheduler mode, because leaving rules mode removes the clean-up resource,
 * whose delete removes every rule before any schedule exists. Its create
 * (the deploy that enters Scheduler mode, or a new stack) fails while such
 * rules exist, so CloudFormation rolls the update back and the rules keep
 * firing; the reason names the way out. Update and delete do nothing.
 */
export const triggerModeGuard =
  (countRules: () => Promise<number>) =>
  (event: CloudFormationCustomResourceEvent): Promise<void> =>
    answerCloudFormation(event, 'trigger-mode-guard', async ({ RequestType }) => {
      if (RequestType !== 'Create') return 'nothing to do';
      const rules = await countRules();
      if (rules === 0) return 'no trigger rules: Scheduler mode may start';
      throw new Error(
        `this stack has ${rules} trigger rule(s) (karbor:scheduler=rules): deploy once with -c karbor:scheduler=migrating, ` +
          'run npm run migrate:triggers, then deploy with karbor:scheduler=scheduler; or pin karbor:scheduler=rules ' +
          '(docs/operations.md "From rules to Scheduler on an existing stack")',
      );
    });

export const handler = triggerModeGuard(countTriggerRules);
