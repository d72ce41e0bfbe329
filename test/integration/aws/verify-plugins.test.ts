import { CreateTableCommand, DeleteBackupCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateImageCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { dynamoDbBackupPlugin } from '../../../shared/features/protection/adapters/plugins/dynamodb-backup';
import { ebsVolumePlugin } from '../../../shared/features/protection/adapters/plugins/ebs-volume';
import { ec2InstancePlugin } from '../../../shared/features/protection/adapters/plugins/ec2-instance';
import { describeMoto, useMoto } from '../../support/moto';
import { pluginContext } from '../../support/plugin-context';

/** The verify operation of the AWS plugins (basic depth) against what moto holds, before and after what they made is removed. */
describeMoto('AWS plugins verify against moto_server', () => {
  describe('EBS volume', () => {
    const m = useMoto((config) => new EC2Client(config));

    it('passes while the snapshot is completed, fails naming it once it is gone, and refuses an unknown depth', async () => {
      // Prepare
      const { VolumeId } = await m.client.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 8 }));
      const resource = { type: 'AWS::EC2::Volume', id: VolumeId!, name: 'data', extraInfo: null };
      const plugin = ebsVolumePlugin(m.client, { projectTagKey: 'team' });
      const { ctx } = pluginContext({ restoreId: undefined });
      await plugin.protect(ctx, resource);
      const { snapshot_id: snapshotId } = JSON.parse((await ctx.bank.get('snapshot.json'))!) as { snapshot_id: string };
      // Act
      const good = await plugin.verify(pluginContext({ bank: ctx.bank, restoreId: 'ver-1' }).ctx, resource);
      await m.client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
      const gone = await plugin.verify(pluginContext({ bank: ctx.bank, restoreId: 'ver-2' }).ctx, resource);
      const deep = plugin.verify(pluginContext({ bank: ctx.bank, restoreId: 'ver-3', parameters: { depth: 'deep' } }).ctx, resource);
      // Assess
      expect(good).toEqual({ ok: true, reason: `snapshot ${snapshotId} exists and is completed` });
      expect(gone).toEqual({ ok: false, reason: `snapshot ${snapshotId} does not exist` });
      await expect(deep).rejects.toThrow('depth must be one of basic, full, got deep');
    });

    it('at depth full makes a scratch volume from the snapshot, sees it available and deletes it', async () => {
      // Prepare
      const { VolumeId } = await m.client.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 8 }));
      const resource = { type: 'AWS::EC2::Volume', id: VolumeId!, name: 'data', extraInfo: null };
      const plugin = ebsVolumePlugin(m.client, { projectTagKey: 'team' });
      const { ctx } = pluginContext({ restoreId: undefined });
      await plugin.protect(ctx, resource);
      const { snapshot_id: snapshotId } = JSON.parse((await ctx.bank.get('snapshot.json'))!) as { snapshot_id: string };
      const scratchOf = async () =>
        (await m.client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:karbor:restore', Values: ['ver-full'] }] }))).Volumes ?? [];
      // Act
      const result = await plugin.verify(pluginContext({ bank: ctx.bank, restoreId: 'ver-full', parameters: { depth: 'full' } }).ctx, resource);
      // Assess
      expect(result.ok).toBe(true);
      expect(result.reason).toMatch(
        new RegExp(`^snapshot ${snapshotId} exists and is completed; scratch volume vol-\\w+ made from it became available \\(deleted\\)$`),
      );
      expect((await scratchOf()).filter((v) => v.State !== 'deleted')).toEqual([]);
    });
  });

  describe('EC2 instance', () => {
    const m = useMoto((config) => new EC2Client(config));

    it('passes while the image is available with its snapshots, and fails naming the image once it is deregistered', async () => {
      // Prepare
      const { Instances = [] } = await m.client.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }));
      const instanceId = Instances[0].InstanceId!;
      const resource = { type: 'AWS::EC2::Instance', id: instanceId, name: 'vm', extraInfo: null };
      const plugin = ec2InstancePlugin(m.client, { projectTagKey: 'team' });
      // What a protect records (moto answers CreateImage with TagSpecifications, which the protect sends, with an error page).
      const { ImageId } = await m.client.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'karbor-cp-1' }));
      const { Images = [] } = await m.client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }));
      const snapshotIds = (Images[0].BlockDeviceMappings ?? []).flatMap((b) => (b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : []));
      const saved = { image_id: ImageId!, snapshot_ids: snapshotIds };
      const { ctx } = pluginContext({ restoreId: undefined });
      await ctx.bank.put('image.json', JSON.stringify(saved));
      // Act
      const good = await plugin.verify(pluginContext({ bank: ctx.bank, restoreId: 'ver-1' }).ctx, resource);
      await m.client.send(new DeregisterImageCommand({ ImageId: saved.image_id }));
      const gone = await plugin.verify(pluginContext({ bank: ctx.bank, restoreId: 'ver-2' }).ctx, resource);
      // Assess
      expect(good).toEqual({ ok: true, reason: `image ${saved.image_id} is available with its ${saved.snapshot_ids.length} snapshots completed` });
      expect(gone.ok).toBe(false);
      expect(gone.reason).toMatch(new RegExp(`^image ${saved.image_id} is `));
    });
  });

  describe('DynamoDB on-demand backup', () => {
    const m = useMoto((config) => new DynamoDBClient(config));

    it('passes while the backup is AVAILABLE and fails naming it once it is deleted', async () => {
      // Prepare
      await m.client.send(
        new CreateTableCommand({
          TableName: 'orders',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      const resource = { type: 'AWS::DynamoDB::Table', id: 'orders', name: 'orders', extraInfo: null };
      const plugin = dynamoDbBackupPlugin(m.client, { projectTagKey: 'team' });
      const { ctx } = pluginContext({ restoreId: undefined });
      await plugin.protect(ctx, resource);
      const { backup_arn: arn } = JSON.parse((await ctx.bank.get('backup.json'))!) as { backup_arn: string };
      // Act
      const good = await plugin.verify(pluginContext({ bank: ctx.bank, restoreId: 'ver-1' }).ctx, resource);
      await m.client.send(new DeleteBackupCommand({ BackupArn: arn }));
      const gone = await plugin.verify(pluginContext({ bank: ctx.bank, restoreId: 'ver-2' }).ctx, resource);
      // Assess
      expect(good).toEqual({ ok: true, reason: `backup ${arn} is AVAILABLE` });
      expect(gone.ok).toBe(false);
      expect(gone.reason).toMatch(new RegExp(`^backup ${arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is `));
    });
  });
});
