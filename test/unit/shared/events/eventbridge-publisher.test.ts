import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { eventBridgePublisher } from '../../../../shared/events/eventbridge-publisher';

const eb = mockClient(EventBridgeClient);
const client = () => new EventBridgeClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('EventBridge publisher', () => {
  beforeEach(() => eb.reset());

  it('puts events on the karbor bus with source karbor, ten per call', async () => {
    // Prepare
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const events = Array.from({ length: 11 }, (_, i) => ({ detailType: 'Checkpoint Available', detail: { checkpoint_id: `c${i}` } }));
    // Act
    await eventBridgePublisher(client(), 'karbor').publish(events);
    // Assess
    const calls = eb.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input).toEqual({
      Entries: [{ EventBusName: 'karbor', Source: 'karbor', DetailType: 'Checkpoint Available', Detail: '{"checkpoint_id":"c10"}' }],
    });
    expect(calls[0].args[0].input.Entries).toHaveLength(10);
  });

  it('fails when EventBridge refuses an entry', async () => {
    // Prepare
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    // Act / Assess
    await expect(eventBridgePublisher(client(), 'karbor').publish([{ detailType: 'X', detail: {} }])).rejects.toThrow(
      'EventBridge refused 1 event(s): InternalFailure boom',
    );
  });
});
