import {
  CreateBackupCommand,
  DeleteBackupCommand,
  DescribeBackupCommand,
  type DynamoDBClient,
  RestoreTableFromBackupCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { ProtectionPlugin } from '../../plugins';

/**
 * `AWS::DynamoDB::Table` on AWS: an on-demand backup; a restore creates a
 * new table from it. (DynamoDB Local has no backups: the local runtime uses
 * the export plugin instead.)
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateBackup.html
 */
interface SavedBackup {
  backup_arn: string;
  table_name: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const dynamoDbBackupPlugin = (client: DynamoDBClient, opts: { maxWaitSeconds?: number; pollMs?: number } = {}): ProtectionPlugin => {
  const maxWaitSeconds = opts.maxWaitSeconds ?? 3600;
  const pollMs = opts.pollMs ?? 5000;
  return {
    async protect(ctx, resource) {
      // Backup names allow [a-zA-Z0-9_.-] and 3..255 characters.
      const name = (ctx.parameters.backup_name ?? `karbor-${ctx.checkpointId}`).replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 255);
      const created = await client.send(new CreateBackupCommand({ TableName: resource.id, BackupName: name }));
      const arn = created.BackupDetails?.BackupArn;
      if (!arn) throw new Error('CreateBackup returned no backup');
      const saved: SavedBackup = { backup_arn: arn, table_name: resource.id };
      await ctx.bank.put('backup.json', JSON.stringify(saved));
      // The SDK has no backup waiter: poll DescribeBackup until the backup is usable.
      const until = Date.now() + maxWaitSeconds * 1000;
      let status = created.BackupDetails?.BackupStatus;
      while (status === 'CREATING') {
        if (Date.now() > until) throw new Error(`backup ${arn} still CREATING after ${maxWaitSeconds}s`);
        await sleep(pollMs);
        const described = await client.send(new DescribeBackupCommand({ BackupArn: arn }));
        status = described.BackupDescription?.BackupDetails?.BackupStatus;
      }
      if (status !== 'AVAILABLE') throw new Error(`backup ${arn} is ${status ?? 'unknown'}`);
    },

    async restore(ctx, resource) {
      const text = await ctx.bank.get('backup.json');
      if (text === undefined) throw new Error(`checkpoint holds no backup of table ${resource.id}`);
      const saved = JSON.parse(text) as SavedBackup;
      const target = ctx.parameters.restore_name ?? `${resource.id}-restore-${(ctx.restoreId ?? ctx.checkpointId).slice(0, 8)}`;
      await ctx.progress('restoring');
      await client.send(new RestoreTableFromBackupCommand({ TargetTableName: target, BackupArn: saved.backup_arn }));
      await waitUntilTableExists({ client, maxWaitTime: maxWaitSeconds }, { TableName: target });
      await ctx.progress('available');
      return { id: target };
    },

    async delete(ctx) {
      const text = await ctx.bank.get('backup.json');
      if (text === undefined) return;
      const saved = JSON.parse(text) as SavedBackup;
      try {
        await client.send(new DeleteBackupCommand({ BackupArn: saved.backup_arn }));
      } catch (error) {
        if ((error as { name?: string }).name !== 'BackupNotFoundException') throw error;
      }
    },
  };
};
