import { mockClient } from 'aws-sdk-client-mock';
import { bankFromConfig } from '../../../../../../shared/features/protection/adapters/bank';
import { eventPublisher } from '../../../../../../shared/events/publisher';
import { workerDeps } from '../../../../../../shared/features/protection/deps';
import { withSettings } from '../../../../../support/settings';

// A module-load probe: a factory runs when, and only when, something loads that client.
const mockLoads: string[] = [];
jest.mock('@aws-sdk/client-s3', () => {
  mockLoads.push('@aws-sdk/client-s3');
  return jest.requireActual('@aws-sdk/client-s3');
});
jest.mock('@aws-sdk/client-eventbridge', () => {
  mockLoads.push('@aws-sdk/client-eventbridge');
  return jest.requireActual('@aws-sdk/client-eventbridge');
});

// The AWS configuration: S3 bank, EventBridge bus.
const ENV = { KARBOR_BANK: 's3', BANK_BUCKET: 'bank-1', KARBOR_EVENTS: 'eventbridge', EVENT_BUS_NAME: 'karbor', KARBOR_DISCOVERY: 'dynamodb' };

// Order matters: the first test proves nothing is loaded yet, the next ones load one client each.
describe('protection worker clients (issue #15: the bank and the bus load their SDK client on first use)', () => {
  it('builds the worker, its bank and its publisher without loading the S3 or EventBridge client', () => {
    // Act: what the protection worker builds at module load.
    const deps = withSettings(ENV, () => workerDeps(900));
    // Assert
    expect(typeof deps.bank.put).toBe('function');
    expect(typeof deps.events.publish).toBe('function');
    expect(mockLoads).toEqual([]);
  });

  it('loads the S3 client on the first bank call, once, and writes to BANK_BUCKET', async () => {
    // Prepare
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    const bank = withSettings(ENV, () => bankFromConfig());
    // Act
    await Promise.all([bank.put('k1', '{}'), bank.put('k2', '{}')]);
    // Assert
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['k1', 'k2']);
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input.Bucket).toBe('bank-1');
    expect(mockLoads).toEqual(['@aws-sdk/client-s3']);
    s3.restore();
  });

  it('fails the bank call, without loading anything, when BANK_BUCKET is not set', async () => {
    await expect(withSettings({ KARBOR_BANK: 's3' }, () => bankFromConfig()).list('p/')).rejects.toThrow('BANK_BUCKET is not set');
    expect(mockLoads).toEqual(['@aws-sdk/client-s3']);
  });

  it('loads the EventBridge client on the first publish and puts the events on EVENT_BUS_NAME', async () => {
    // Prepare
    const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    const eb = mockClient(EventBridgeClient);
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    // Act
    await withSettings({ ...ENV, EVENT_BUS_NAME: 'bus-2' }, () => eventPublisher()).publish([
      { detailType: 'Checkpoint Available', detail: { checkpoint_id: 'c1' } },
    ]);
    // Assert
    expect(eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input)).toEqual([
      { Entries: [{ EventBusName: 'bus-2', Source: 'karbor', DetailType: 'Checkpoint Available', Detail: '{"checkpoint_id":"c1"}' }] },
    ]);
    expect(mockLoads).toEqual(['@aws-sdk/client-s3', '@aws-sdk/client-eventbridge']);
    eb.restore();
  });
});
