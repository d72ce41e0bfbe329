import { config, type Config } from '../../../config';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBridgePublisher } from './eventbridge-publisher';
import type { EventPublisher } from '../../../kernel/ports';
import { localEventPublisher } from './local-event-bus';

/** `KARBOR_EVENTS=local`: the in-process bus (npm start); otherwise EventBridge, bus EVENT_BUS_NAME (`karbor`). */
export const eventPublisher = (cfg: Config = config): EventPublisher => {
  if (cfg.events === 'local') return localEventPublisher();
  let publisher: EventPublisher | undefined;
  return {
    publish: (events) => {
      publisher ??= eventBridgePublisher(new EventBridgeClient({}), cfg.eventBusName);
      return publisher.publish(events);
    },
  };
};
