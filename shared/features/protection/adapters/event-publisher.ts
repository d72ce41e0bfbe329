import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBridgePublisher } from './eventbridge-publisher';
import type { EventPublisher } from '../../../kernel/ports';
import { localEventPublisher } from './local-event-bus';

/** `KARBOR_EVENTS=local`: the in-process bus (npm start); otherwise EventBridge, bus EVENT_BUS_NAME (`karbor`). */
export const eventPublisherFromEnv = (env: NodeJS.ProcessEnv = process.env): EventPublisher => {
  if (env.KARBOR_EVENTS === 'local') return localEventPublisher();
  let publisher: EventPublisher | undefined;
  return {
    publish: (events) => {
      publisher ??= eventBridgePublisher(new EventBridgeClient({}), env.EVENT_BUS_NAME ?? 'karbor');
      return publisher.publish(events);
    },
  };
};
