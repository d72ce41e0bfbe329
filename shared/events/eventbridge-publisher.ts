import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from './names';
import type { EventPublisher } from '../kernel/ports';

/**
 * Puts karbor events on the bus (EVENT_BUS_NAME, default `karbor`), at most
 * 10 per PutEvents call; a partly failed call is an error.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
export const eventBridgePublisher = (client: EventBridgeClient, busName: string): EventPublisher => ({
  async publish(events) {
    for (let i = 0; i < events.length; i += 10) {
      const out = await client.send(
        new PutEventsCommand({
          Entries: events.slice(i, i + 10).map((e) => ({
            EventBusName: busName,
            Source: EVENT_SOURCE,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const failed = out.Entries?.find((e) => e.ErrorCode);
        throw new Error(`EventBridge refused ${out.FailedEntryCount} event(s): ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`.trim());
      }
    }
  },
});
