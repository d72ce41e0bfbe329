import type { BusEvent, EventPublisher } from '../kernel/ports';

/**
 * The in-process bus of the local runtime (infra/local/event-bus.ts). Under
 * `npm start` every handler is its own esbuild bundle with its own copy of
 * this module, so the bus is found on globalThis, not in a module variable.
 */
const LOCAL_EVENT_BUS_KEY = '__karborLocalEventBus';

interface LocalEventBus {
  publish(events: BusEvent[]): Promise<void>;
}

export const setLocalEventBus = (bus: LocalEventBus | undefined): void => {
  (globalThis as Record<string, unknown>)[LOCAL_EVENT_BUS_KEY] = bus;
};

/** Publishes through the local bus; without one (not under the local runtime) publishing fails loudly. */
export const localEventPublisher = (): EventPublisher => ({
  async publish(events) {
    const bus = (globalThis as Record<string, unknown>)[LOCAL_EVENT_BUS_KEY] as LocalEventBus | undefined;
    if (!bus) throw new Error('the local event bus is not running');
    await bus.publish(events);
  },
});
