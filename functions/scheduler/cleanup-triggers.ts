import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { removeAllTriggerRules } from '../../shared/features/triggers/deps';
import { answerCloudFormation } from './custom-resource';

/**
 * The stack's clean-up on delete (custom resource `Custom::KarborTriggerCleanup`,
 * rules and migrating modes): trigger rules are made at run time on the
 * default bus, so CloudFormation does not know them; deleting the stack (or
 * leaving those modes) removes them here. Create and update do nothing.
 */
export const handler = (event: CloudFormationCustomResourceEvent): Promise<void> =>
  answerCloudFormation(event, 'trigger-cleanup', async ({ RequestType }) => {
    if (RequestType !== 'Delete') return 'nothing to do';
    try {
      return `removed ${await removeAllTriggerRules()} trigger rules`;
    } catch (error) {
      throw new Error(`removing the trigger rules failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
