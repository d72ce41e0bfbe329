import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { jsonLog } from '../../shared/observability/log';

/**
 * Runs a custom resource's work and answers CloudFormation at its presigned
 * URL (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html):
 * SUCCESS with what `work` said, or FAILED with the error's message, which
 * CloudFormation shows as the resource's status reason.
 */
export const answerCloudFormation = async (
  event: CloudFormationCustomResourceEvent,
  /** The resource's name in the log and, on create, in its physical id (`<stack id>/<name>`). */
  name: string,
  work: (event: CloudFormationCustomResourceEvent) => Promise<string>,
): Promise<void> => {
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason: string;
  try {
    reason = await work(event);
  } catch (error) {
    status = 'FAILED';
    reason = error instanceof Error ? error.message : String(error);
  }
  jsonLog({ level: status === 'SUCCESS' ? 'INFO' : 'ERROR', message: name, requestType: event.RequestType, reason });
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : `${event.StackId}/${name}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  // The presigned URL signs no content type: an empty one, as CloudFormation's own helper sends.
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation refused the answer: ${response.status}`);
};
