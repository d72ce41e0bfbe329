import {
  CreateTableCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListBackupsCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { dynamoDbBackupPlugin } from '../../../shared/features/protection/adapters/plugins/dynamodb-backup';
import { describeMoto, tagsOf, useMoto } from '../../support/moto';
import { pluginContext } from '../../support/plugin-context';

describeMoto('DynamoDB backup plugin against moto_server', () => {
  const aws = useMoto((config) => new DynamoDBClient(config));
  const table = async (name: string) => {
    await aws.client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }),
    );
    await aws.client.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'o-1' }, total: { N: '42' } } }));
    return { type: 'AWS::DynamoDB::Table', id: name, name, extraInfo: null };
  };
  const backupsOf = async (name: string) => (await aws.client.send(new ListBackupsCommand({ TableName: name }))).BackupSummaries ?? [];

  it('protects with a backup named after the checkpoint, restores it into a tagged karbor-restore- table, and deletes the backup', async () => {
    // Prepare
    const { client } = aws;
    const resource = await table('orders');
    const plugin = dynamoDbBackupPlugin(client, { projectTagKey: 'team' });
    const { ctx } = pluginContext({ restoreId: undefined, parameters: { backup_name: 'nightly backup!' } });

    // Act: protect
    await plugin.protect(ctx, resource);

    // Assess: one available user backup of the table by that name, recorded in the bank
    const backups = await backupsOf('orders');
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ TableName: 'orders', BackupName: 'nightly-backup--cp-1', BackupStatus: 'AVAILABLE', BackupType: 'USER' });
    expect(JSON.parse((await ctx.bank.get('backup.json'))!)).toEqual({ backup_arn: backups[0].BackupArn, table_name: 'orders' });
    // A retried protect finds the backup by its name: moto still holds one.
    await plugin.protect(ctx, resource);
    expect(await backupsOf('orders')).toHaveLength(1);

    // Act: restore
    const restoreCtx = { ...ctx, restoreId: 'rrrrrrrr-1111' };
    const restored = await plugin.restore(restoreCtx, resource);

    // Assess: the new table holds the item, and carries Karbor's tags
    expect(restored).toEqual({ id: 'karbor-restore-orders-rrrrrrrr' });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'karbor-restore-orders-rrrrrrrr' }));
    expect(Table).toMatchObject({ TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    const { Item } = await client.send(new GetItemCommand({ TableName: 'karbor-restore-orders-rrrrrrrr', Key: { id: { S: 'o-1' } } }));
    expect(Item).toEqual({ id: { S: 'o-1' }, total: { N: '42' } });
    const { Tags } = await client.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }));
    expect(tagsOf(Tags)).toEqual({ team: 'p1', 'karbor:checkpoint': 'cp-1', 'karbor:resource': 'orders', 'karbor:restore': 'rrrrrrrr-1111' });
    // A retried restore resumes into the table it made.
    expect(await plugin.restore(restoreCtx, resource)).toEqual({ id: 'karbor-restore-orders-rrrrrrrr' });

    // Act: delete
    await plugin.delete(ctx, resource);

    // Assess: the backup is gone; a second delete finds nothing and succeeds
    await expect(client.send(new DescribeBackupCommand({ BackupArn: backups[0].BackupArn }))).rejects.toMatchObject({ name: 'BackupNotFoundException' });
    expect(await backupsOf('orders')).toEqual([]);
    await plugin.delete(ctx, resource);
  });

  it('refuses a restore into a table of the target name it did not create', async () => {
    // Prepare
    const resource = await table('invoices');
    await table('karbor-restore-invoices-copy');
    const plugin = dynamoDbBackupPlugin(aws.client);
    const { ctx } = pluginContext({ restoreId: undefined });
    await plugin.protect(ctx, resource);
    // Act / Assess
    const restore = plugin.restore({ ...ctx, restoreId: 'rrrrrrrr-2222', parameters: { restore_name: 'invoices-copy' } }, resource);
    await expect(restore).rejects.toThrow('table karbor-restore-invoices-copy already exists');
  });
});
