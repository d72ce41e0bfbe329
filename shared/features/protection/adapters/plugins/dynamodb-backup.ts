import {
  type BackupSummary,
  CreateBackupCommand,
  DeleteBackupCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListBackupsCommand,
  RestoreTableFromBackupCommand,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_POLL, pollUntil } from '../../job-steps';
import { AWS_OWNED_KEY, type GraphResource, type PluginContext, type ProtectionPlugin, recordKeys, verifyDepth } from '../../plugins';
import { karborTags, LeftBehindError } from '../../tags';
import { restoreTarget } from './dynamodb-restore-target';
import { refuseTableCopy } from './copy-refused';

/**
 * The IAM action of every SDK command this plugin sends, its helpers' included
 * (test/unit/shared/features/protection/adapters/plugins/iam-actions.test.ts
 * reads them from the source; test/infra/iam-simulation.test.ts simulates them).
 */
export const dynamoDbBackupActions = [
  'dynamodb:CreateBackup',
  'dynamodb:DeleteBackup',
  'dynamodb:DescribeBackup',
  'dynamodb:DescribeTable',
  'dynamodb:ListBackups',
  'dynamodb:RestoreTableFromBackup',
  'dynamodb:TagResource',
] as const;

/**
 * `AWS::DynamoDB::Table` on AWS: an on-demand backup; a restore creates a
 * new table from it. (DynamoDB Local has no backups: the local runtime uses
 * the export plugin instead.) CreateBackup takes no tags: the backup's name
 * carries the checkpoint id, by which ListBackups finds what an earlier
 * attempt made. The restored table is tagged once it exists (RestoreTableFromBackup
 * takes no tags either).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateBackup.html
 */
interface SavedBackup {
  backup_arn: string;
  table_name: string;
}

/** `<backup_name or karbor>-<checkpoint id>`: backup names allow [a-zA-Z0-9_.-] and 3..255 characters; the id always survives. */
export const backupName = (ctx: PluginContext): string => {
  const suffix = `-${ctx.checkpointId}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return `${(ctx.parameters.backup_name ?? 'karbor').replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 255 - suffix.length)}${suffix}`;
};

export const dynamoDbBackupPlugin = (client: DynamoDBClient, opts: { maxWaitSeconds?: number; projectTagKey?: string } = {}): ProtectionPlugin => {
  const maxWaitSeconds = opts.maxWaitSeconds ?? 5 * 3600;
  /** This checkpoint's backups of the table, by name. */
  const backupsOf = async (ctx: PluginContext, resource: GraphResource): Promise<BackupSummary[]> => {
    const name = backupName(ctx);
    const found: BackupSummary[] = [];
    let start: string | undefined;
    do {
      const page = await client.send(new ListBackupsCommand({ TableName: resource.id, BackupType: 'USER', ExclusiveStartBackupArn: start }));
      found.push(...(page.BackupSummaries ?? []).filter((b) => b.BackupName === name && b.BackupStatus !== 'DELETED'));
      start = page.LastEvaluatedBackupArn;
    } while (start);
    return found;
  };
  return {
    /**
     * Steps: `backup` finds this checkpoint's backup of the table by its name
     * or creates it, `record` writes it into the bank, then `available`
     * polls DescribeBackup (the SDK has no backup waiter) with durable waits;
     * `keys` records the key of the table's encryption the backup keeps.
     */
    async protect(ctx, resource) {
      const started = await ctx.steps.step('backup', async () => {
        const earlier = (await backupsOf(ctx, resource))[0];
        if (earlier?.BackupArn) return { arn: earlier.BackupArn, status: earlier.BackupStatus };
        const created = await client.send(new CreateBackupCommand({ TableName: resource.id, BackupName: backupName(ctx) }));
        if (!created.BackupDetails?.BackupArn) throw new Error('CreateBackup returned no backup');
        return { arn: created.BackupDetails.BackupArn, status: created.BackupDetails.BackupStatus };
      });
      const saved: SavedBackup = { backup_arn: started.arn, table_name: resource.id };
      await ctx.steps.step('record', () => ctx.bank.put('backup.json', JSON.stringify(saved)));
      const usable = (status: string | undefined) => {
        if (status === 'AVAILABLE') return { done: true as const, value: null };
        if (status === 'CREATING') return { done: false as const, state: status };
        throw new Error(`backup ${started.arn} is ${status ?? 'unknown'}`);
      };
      if (!usable(started.status).done) {
        await pollUntil(ctx.steps, 'available', { ...DEFAULT_POLL, limitSeconds: maxWaitSeconds }, async () => {
          const described = await client.send(new DescribeBackupCommand({ BackupArn: started.arn }));
          return usable(described.BackupDescription?.BackupDetails?.BackupStatus);
        });
      }
      // The source table's encryption at backup time; without an SSE description, DynamoDB's default, an AWS owned key (docs/decisions.md §27).
      await ctx.steps.step('keys', async () => {
        const { BackupDescription } = await client.send(new DescribeBackupCommand({ BackupArn: started.arn }));
        const sse = BackupDescription?.SourceTableFeatureDetails?.SSEDescription;
        const key = sse?.Status === 'ENABLED' || sse?.Status === 'UPDATING' ? (sse.KMSMasterKeyArn ?? AWS_OWNED_KEY) : AWS_OWNED_KEY;
        await recordKeys(ctx, { [started.arn]: key });
      });
    },

    /**
     * Steps: `table` finds the table an earlier attempt started restoring or
     * starts RestoreTableFromBackup (a large table takes hours), `active`
     * polls DescribeTable with durable waits, `tag` tags the new table.
     */
    async restore(ctx, resource) {
      const text = await ctx.bank.get('backup.json');
      if (text === undefined) throw new Error(`checkpoint holds no backup of table ${resource.id}`);
      const saved = JSON.parse(text) as SavedBackup;
      await ctx.progress('restoring');
      const name = await ctx.steps.step('table', async () => {
        const target = await restoreTarget(client, ctx, resource);
        if (!target.resumed) await client.send(new RestoreTableFromBackupCommand({ TargetTableName: target.name, BackupArn: saved.backup_arn }));
        return target.name;
      });
      const arn = await pollUntil(ctx.steps, 'active', { ...DEFAULT_POLL, limitSeconds: maxWaitSeconds }, async () => {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === 'ACTIVE' && Table.TableArn) return { done: true, value: Table.TableArn };
        if (Table?.TableStatus === 'CREATING' || Table?.TableStatus === 'UPDATING') return { done: false, state: Table.TableStatus };
        throw new Error(`restored table ${name} is ${Table?.TableStatus ?? 'unknown'}`);
      });
      await ctx.steps.step('tag', () =>
        client.send(new TagResourceCommand({ ResourceArn: arn, Tags: karborTags(ctx, resource, opts.projectTagKey) })).then(() => null),
      );
      await ctx.progress('available');
      return { id: name };
    },

    /** Deletes the recorded backup and any other this checkpoint made of the table; what could not be deleted is named. */
    async delete(ctx, resource) {
      const text = await ctx.bank.get('backup.json');
      const recorded = text === undefined ? [] : [(JSON.parse(text) as SavedBackup).backup_arn];
      // The source table may be gone: its backups stay, and ListBackups by its name still finds them.
      const arns = [...new Set([...recorded, ...(await backupsOf(ctx, resource)).flatMap((b) => (b.BackupArn ? [b.BackupArn] : []))])];
      const left: string[] = [];
      let cause = '';
      for (const arn of arns) {
        try {
          await client.send(new DeleteBackupCommand({ BackupArn: arn }));
        } catch (error) {
          if ((error as { name?: string }).name === 'BackupNotFoundException') continue;
          left.push(`backup ${arn}`);
          cause = error instanceof Error ? error.message : String(error);
        }
      }
      if (left.length > 0) throw new LeftBehindError(left, cause);
    },
    /** Refused with its reason until copies have another destination (docs/decisions.md §15). */
    copy: refuseTableCopy('backup'),

    /** basic (the only depth yet on AWS; a scratch restore is not offered): the recorded backup is `AVAILABLE`. */
    async verify(ctx, resource) {
      verifyDepth(ctx, 'basic', ['basic']);
      const text = await ctx.bank.get('backup.json');
      if (text === undefined) return { ok: false, reason: `the checkpoint holds no backup of table ${resource.id} (backup.json is missing)` };
      const saved = JSON.parse(text) as SavedBackup;
      const status = await ctx.steps.step('backup', async () => {
        try {
          return (await client.send(new DescribeBackupCommand({ BackupArn: saved.backup_arn }))).BackupDescription?.BackupDetails?.BackupStatus ?? 'unknown';
        } catch (error) {
          if ((error as { name?: string }).name === 'BackupNotFoundException') return 'gone';
          throw error;
        }
      });
      if (status !== 'AVAILABLE') return { ok: false, reason: `backup ${saved.backup_arn} is ${status}` };
      return { ok: true, reason: `backup ${saved.backup_arn} is AVAILABLE` };
    },
  };
};
