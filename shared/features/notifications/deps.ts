import * as config from '../../config';
import { documentClient, tableName } from '../../dynamo/client';
import { lazily } from '../../kernel/lazy';
import { systemClock } from '../../kernel/ports';
import { jsonLog } from '../../observability/log';
import { traced } from '../../observability/tracing';
import type { Notification, NotifyDeps } from './model';
import { dynamoNotificationGate } from './store';

/**
 * The notifier's ports: SNS where the stack names its topic (NOTIFY_TOPIC_ARN),
 * else (under `npm start`) a log line, beside the event on the local bus.
 */
export const notifyDeps = (): NotifyDeps => {
  const topicArn = config.notifyTopicArn();
  const sns = lazily(async () => {
    const [{ SNSClient }, { snsSender }] = await Promise.all([import('@aws-sdk/client-sns'), import('./adapters/sns')]);
    return snsSender(traced(new SNSClient({})), topicArn);
  });
  const send = topicArn
    ? async (n: Notification) => (await sns())(n)
    : async (n: Notification) => jsonLog({ level: 'WARN', message: 'notification', subject: n.subject, body: n.message });
  return { gate: dynamoNotificationGate(documentClient(), tableName()), send, clock: systemClock, log: jsonLog };
};
