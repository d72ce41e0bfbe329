import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { eventBridgePublisher } from '../../../../shared/events/eventbridge-publisher';

const eb = mockClient(EventBridgeClient);
const client = () => new EventBridgeClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('EventBridge publisher', () => {
  beforeEach(() => eb.reset());

  it('fails when EventBridge refuses an entry', async () => {
    // Prepare
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    // Act / Assess
    await expect(eventBridgePublisher(client(), 'karbor').publish([{ detailType: 'X', detail: {} }])).rejects.toThrow(
      'EventBridge refused 1 event(s): InternalFailure boom',
    );
  });
});
