import * as config from '../../../config';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { traced } from '../../../observability/tracing';
import { eventBridgePublisher } from './eventbridge-publisher';
import type { EventPublisher } from '../../../kernel/ports';
import { localEventPublisher } from './local-event-bus';

/** `KARBOR_EVENTS=local`: the in-process bus (npm start); otherwise EventBridge, bus EVENT_BUS_NAME (`karbor`). */
export const eventPublisher = (env?: config.Env): EventPublisher => {
  if (config.events(env) === 'local') return localEventPublisher();
  let publisher: EventPublisher | undefined;
  return {
    publish: (events) => {
      publisher ??= eventBridgePublisher(traced(new EventBridgeClient({})), config.eventBusName(env));
      return publisher.publish(events);
    },
  };
};
