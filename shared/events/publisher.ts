import * as config from '../config';
import { lazily } from '../kernel/lazy';
import { traced } from '../observability/tracing';
import type { BusEvent, EventPublisher } from '../kernel/ports';
import { hostPart } from '../runtime-host';

/**
 * The in-process bus of the local runtime (infra/local/event-bus.ts), handed
 * to the handlers as a part of its runtime's host (shared/runtime-host.ts),
 * under this key.
 */
export const LOCAL_EVENT_BUS_PART = 'localEventBus';

export interface LocalEventBus {
  publish(events: BusEvent[]): Promise<void>;
}

/** Publishes through the local bus; without one (not under the local runtime) publishing fails loudly. */
export const localEventPublisher = (): EventPublisher => ({
  async publish(events) {
    const bus = hostPart<LocalEventBus>(LOCAL_EVENT_BUS_PART);
    if (!bus) throw new Error('the local event bus is not running');
    await bus.publish(events);
  },
});

/**
 * `KARBOR_EVENTS=local`: the in-process bus (npm start); otherwise EventBridge,
 * bus EVENT_BUS_NAME (`karbor`), whose client is imported on the first publish
 * (issue #15, cold start).
 */
export const eventPublisher = (): EventPublisher => {
  if (config.events() === 'local') return localEventPublisher();
  const busName = config.eventBusName();
  const publisher = lazily(async (): Promise<EventPublisher> => {
    const [{ eventBridgePublisher }, { EventBridgeClient }] = await Promise.all([import('./eventbridge-publisher'), import('@aws-sdk/client-eventbridge')]);
    return eventBridgePublisher(traced(new EventBridgeClient({})), busName);
  });
  return { publish: async (events) => (await publisher()).publish(events) };
};
