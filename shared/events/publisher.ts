import * as config from '../config';
import { lazily } from '../kernel/lazy';
import { traced } from '../observability/tracing';
import type { EventPublisher } from '../kernel/ports';
import { localEventPublisher } from './local-bus';

/**
 * `KARBOR_EVENTS=local`: the in-process bus (npm start); otherwise EventBridge,
 * bus EVENT_BUS_NAME (`karbor`), whose client is imported on the first publish
 * (issue #15, cold start).
 */
export const eventPublisher = (env?: config.Env): EventPublisher => {
  if (config.events(env) === 'local') return localEventPublisher();
  const publisher = lazily(async (): Promise<EventPublisher> => {
    const [{ eventBridgePublisher }, { EventBridgeClient }] = await Promise.all([import('./eventbridge-publisher'), import('@aws-sdk/client-eventbridge')]);
    return eventBridgePublisher(traced(new EventBridgeClient({})), config.eventBusName(env));
  });
  return { publish: async (events) => (await publisher()).publish(events) };
};
