import {
  CreateBackupCommand,
  DeleteBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  RestoreTableFromBackupCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoDbBackupPlugin } from '../../../../../../../shared/features/protection/adapters/plugins/dynamodb-backup';
import { pluginContext } from '../../../../../../support/plugin-context';

const ddb = mockClient(DynamoDBClient);
const TABLE = { type: 'AWS::DynamoDB::Table', id: 'orders', name: 'orders', extraInfo: null };
const ARN = 'arn:aws:dynamodb:eu-west-1:1:table/orders/backup/01';
const client = () => new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('DynamoDB backup plugin', () => {
  beforeEach(() => ddb.reset());

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
    await dynamoDbBackupPlugin(client(), { pollMs: 1 }).protect(ctx, TABLE);
    // Assess
    expect(ddb.commandCalls(CreateBackupCommand)[0].args[0].input).toEqual({ TableName: 'orders', BackupName: 'nightly-backup-' });
    expect(ddb.commandCalls(DescribeBackupCommand).map((c) => c.args[0].input)).toEqual([{ BackupArn: ARN }, { BackupArn: ARN }]);
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/backup.json')!)).toEqual({ backup_arn: ARN, table_name: 'orders' });
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
    await expect(dynamoDbBackupPlugin(client(), { pollMs: 1 }).protect(ctx, TABLE)).rejects.toThrow(`backup ${ARN} is DELETED`);
  });

  it('restores into a new table named after the restore and waits until it exists', async () => {
    // Prepare
    ddb.on(RestoreTableFromBackupCommand).resolves({});
    ddb.on(DescribeTableCommand).resolves({ Table: { TableName: 'orders-restore-rrrrrrrr', TableStatus: 'ACTIVE' } });
    const { ctx, progress } = pluginContext();
    await ctx.bank.put('backup.json', JSON.stringify({ backup_arn: ARN, table_name: 'orders' }));
    // Act
    const result = await dynamoDbBackupPlugin(client()).restore(ctx, TABLE);
    // Assess
    expect(result).toEqual({ id: 'orders-restore-rrrrrrrr' });
    expect(ddb.commandCalls(RestoreTableFromBackupCommand)[0].args[0].input).toEqual({ TargetTableName: 'orders-restore-rrrrrrrr', BackupArn: ARN });
    expect(ddb.commandCalls(DescribeTableCommand)[0].args[0].input).toEqual({ TableName: 'orders-restore-rrrrrrrr' });
    expect(progress.map((p) => p[0])).toEqual(['restoring', 'available']);
  });

  it('deletes the backup, and counts a missing one as done', async () => {
    // Prepare
    ddb.on(DeleteBackupCommand).rejects(Object.assign(new Error('gone'), { name: 'BackupNotFoundException' }));
    const { ctx } = pluginContext();
    await ctx.bank.put('backup.json', JSON.stringify({ backup_arn: ARN, table_name: 'orders' }));
    // Act
    await dynamoDbBackupPlugin(client()).delete(ctx, TABLE);
    // Assess
    expect(ddb.commandCalls(DeleteBackupCommand)[0].args[0].input).toEqual({ BackupArn: ARN });
  });
});
