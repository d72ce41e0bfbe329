import {
  CreateBackupCommand,
  DeleteBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  ResourceNotFoundException,
  RestoreTableFromBackupCommand,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoDbBackupPlugin } from '../../../../../../../shared/features/protection/adapters/plugins/dynamodb-backup';
import { localSteps } from '../../../../../../../shared/features/protection/job-steps';
import { pluginContext } from '../../../../../../support/plugin-context';

const ddb = mockClient(DynamoDBClient);
const TABLE = { type: 'AWS::DynamoDB::Table', id: 'orders', name: 'orders', extraInfo: null };
const ARN = 'arn:aws:dynamodb:eu-west-1:1:table/orders/backup/01';
const client = () => new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

const notFound = () => new ResourceNotFoundException({ message: 'no table', $metadata: {} });

describe('DynamoDB backup plugin', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
  });

  it('protects with an on-demand backup and polls until it is available', async () => {
    // Prepare
    ddb.on(CreateBackupCommand).resolves({
      BackupDetails: { BackupArn: ARN, BackupName: 'b', BackupStatus: 'CREATING', BackupCreationDateTime: new Date(), BackupType: 'USER' as const },
    });
    ddb
      .on(DescribeBackupCommand)
      .resolvesOnce({
        BackupDescription: {
          BackupDetails: { BackupArn: ARN, BackupName: 'b', BackupStatus: 'CREATING', BackupCreationDateTime: new Date(), BackupType: 'USER' as const },
        },
      })
      .resolves({
        BackupDescription: {
          BackupDetails: { BackupArn: ARN, BackupName: 'b', BackupStatus: 'AVAILABLE', BackupCreationDateTime: new Date(), BackupType: 'USER' as const },
        },
      });
    const { ctx, bank } = pluginContext({ parameters: { backup_name: 'nightly backup!' } });
    // Act
    await dynamoDbBackupPlugin(client()).protect(ctx, TABLE);
    // Assess
    expect(ddb.commandCalls(ListBackupsCommand)[0].args[0].input).toEqual({ TableName: 'orders', BackupType: 'USER' });
    expect(ddb.commandCalls(CreateBackupCommand)[0].args[0].input).toEqual({ TableName: 'orders', BackupName: 'nightly-backup--cp-1' });
    // Two polls, then the keys step's look at the available backup.
    expect(ddb.commandCalls(DescribeBackupCommand).map((c) => c.args[0].input)).toEqual([{ BackupArn: ARN }, { BackupArn: ARN }, { BackupArn: ARN }]);
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/backup.json')!)).toEqual({ backup_arn: ARN, table_name: 'orders' });
    // No SSE description: DynamoDB's default encryption, an AWS owned key.
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/keys.json')!)).toEqual({ [ARN]: 'aws-owned' });
  });

  it('records the customer managed key of the table the backup was made of (docs/decisions.md §27)', async () => {
    // Prepare
    const KEY = 'arn:aws:kms:eu-west-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const details = { BackupArn: ARN, BackupName: 'b', BackupStatus: 'AVAILABLE' as const, BackupCreationDateTime: new Date(), BackupType: 'USER' as const };
    ddb.on(CreateBackupCommand).resolves({ BackupDetails: details });
    ddb.on(DescribeBackupCommand).resolves({
      BackupDescription: {
        BackupDetails: details,
        SourceTableFeatureDetails: { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY } },
      },
    });
    const { ctx, bank } = pluginContext();
    // Act
    await dynamoDbBackupPlugin(client()).protect(ctx, TABLE);
    // Assess: made available at once, so DescribeBackup only for the keys.
    expect(ddb.commandCalls(DescribeBackupCommand).map((c) => c.args[0].input)).toEqual([{ BackupArn: ARN }]);
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/keys.json')!)).toEqual({ [ARN]: KEY });
  });

  it('after a crash, the retry finds the backup named after the checkpoint on a later page and creates no second one', async () => {
    // Prepare
    ddb
      .on(ListBackupsCommand)
      .resolvesOnce({ BackupSummaries: [{ BackupArn: 'other', BackupName: 'karbor-cp-0', BackupStatus: 'AVAILABLE' }], LastEvaluatedBackupArn: 'other' })
      .resolves({ BackupSummaries: [{ BackupArn: ARN, BackupName: 'karbor-cp-1', BackupStatus: 'AVAILABLE' }] });
    ddb.on(DescribeBackupCommand).resolves({ BackupDescription: {} });
    const { ctx, bank } = pluginContext();
    // Act
    await dynamoDbBackupPlugin(client()).protect(ctx, TABLE);
    // Assess
    expect(ddb.commandCalls(ListBackupsCommand)[1].args[0].input).toEqual({ TableName: 'orders', BackupType: 'USER', ExclusiveStartBackupArn: 'other' });
    expect(ddb.commandCalls(CreateBackupCommand)).toHaveLength(0);
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/backup.json')!).backup_arn).toBe(ARN);
  });

  it('fails the resource when the backup is deleted while being made', async () => {
    // Prepare
    ddb.on(CreateBackupCommand).resolves({
      BackupDetails: { BackupArn: ARN, BackupName: 'b', BackupStatus: 'CREATING', BackupCreationDateTime: new Date(), BackupType: 'USER' as const },
    });
    ddb.on(DescribeBackupCommand).resolves({
      BackupDescription: {
        BackupDetails: { BackupArn: ARN, BackupName: 'b', BackupStatus: 'DELETED', BackupCreationDateTime: new Date(), BackupType: 'USER' as const },
      },
    });
    const { ctx } = pluginContext();
    // Act / Assess
    await expect(dynamoDbBackupPlugin(client()).protect(ctx, TABLE)).rejects.toThrow(`backup ${ARN} is DELETED`);
  });

  it('waits out a restore of hours with durable waits, and a worker killed mid-wait polls on without restoring again', async () => {
    // Prepare: the target is free, then the table is CREATING for two polls.
    const creating = { TableName: 'karbor-restore-orders-rrrrrrrr', TableStatus: 'CREATING' as const, TableArn: 'arn:t' };
    ddb
      .on(DescribeTableCommand)
      .rejectsOnce(notFound())
      .resolvesOnce({ Table: creating })
      .resolvesOnce({ Table: creating })
      .resolves({ Table: { ...creating, TableStatus: 'ACTIVE' } });
    ddb.on(RestoreTableFromBackupCommand).resolves({});
    ddb.on(TagResourceCommand).resolves({});
    const recorded: Record<string, unknown> = {};
    const waited: number[] = [];
    const dying = localSteps({
      recorded,
      save: async () => undefined,
      sleep: async (ms) => {
        waited.push(ms);
        if (waited.length === 2) throw new Error('killed');
      },
    });
    const { ctx } = pluginContext({ steps: dying });
    await ctx.bank.put('backup.json', JSON.stringify({ backup_arn: ARN, table_name: 'orders' }));
    // Act: the first worker dies in its second wait; the next one replays its recorded steps.
    await expect(dynamoDbBackupPlugin(client()).restore(ctx, TABLE)).rejects.toThrow('killed');
    const again = localSteps({ recorded, save: async () => undefined, sleep: async () => undefined });
    const result = await dynamoDbBackupPlugin(client()).restore({ ...ctx, steps: again }, TABLE);
    // Assess
    expect(result).toEqual({ id: 'karbor-restore-orders-rrrrrrrr' });
    expect(ddb.commandCalls(RestoreTableFromBackupCommand)).toHaveLength(1);
    expect(ddb.commandCalls(TagResourceCommand)).toHaveLength(1);
    expect(waited[0]).toBeGreaterThanOrEqual(30_000);
  });

  it('names the backup it could not delete', async () => {
    ddb.on(DeleteBackupCommand).rejects(Object.assign(new Error('in use'), { name: 'BackupInUseException' }));
    const { ctx } = pluginContext();
    await ctx.bank.put('backup.json', JSON.stringify({ backup_arn: ARN, table_name: 'orders' }));
    await expect(dynamoDbBackupPlugin(client()).delete(ctx, TABLE)).rejects.toThrow(`could not remove backup ${ARN}: in use`);
  });
});
