import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { removeAllTriggerRules } from '../../shared/features/triggers/deps';
import { jsonLog } from '../../shared/observability/log';

/**
 * The stack's clean-up on delete (custom resource `Custom::KarborTriggerCleanup`,
 * rules mode): trigger rules are made at run time on the default bus, so
 * CloudFormation does not know them; deleting the stack removes them here.
 * Create and update do nothing. The answer goes to CloudFormation's presigned
 * URL (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html).
 */
export const handler = async (event: CloudFormationCustomResourceEvent): Promise<void> => {
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'nothing to do';
  try {
    if (event.RequestType === 'Delete') reason = `removed ${await removeAllTriggerRules()} trigger rules`;
  } catch (error) {
    status = 'FAILED';
    reason = `removing the trigger rules failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  jsonLog({ level: status === 'SUCCESS' ? 'INFO' : 'ERROR', message: 'trigger clean-up', requestType: event.RequestType, reason });
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : `${event.StackId}/trigger-cleanup`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  // The presigned URL signs no content type: an empty one, as CloudFormation's own helper sends.
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation refused the answer: ${response.status}`);
};
