import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification } from '../model';

/** Publishes to the stack's alarm topic (NOTIFY_TOPIC_ARN), whose e-mail subscribers get the alarms too. */
export const snsSender =
  (client: SNSClient, topicArn: string) =>
  async ({ subject, message }: Notification): Promise<void> => {
    await client.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
  };
