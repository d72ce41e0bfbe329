import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { ebsVolumePlugin } from '../../../../../../../shared/features/protection/adapters/plugins/ebs-volume';
import { pluginContext } from '../../../../../../support/plugin-context';

const ec2 = mockClient(EC2Client);
const VOLUME = { type: 'AWS::EC2::Volume', id: 'vol-1', name: 'data', extraInfo: null };
const client = () => new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const plugin = () => ebsVolumePlugin(client(), { projectTagKey: 'team' });
const KARBOR_TAGS = [
  { Key: 'team', Value: 'p1' },
  { Key: 'karbor:checkpoint', Value: 'cp-1' },
  { Key: 'karbor:resource', Value: 'vol-1' },
];
const BY_CHECKPOINT = {
  OwnerIds: ['self'],
  Filters: [
    { Name: 'tag:karbor:checkpoint', Values: ['cp-1'] },
    { Name: 'tag:karbor:resource', Values: ['vol-1'] },
  ],
};

describe('EBS volume plugin', () => {
  beforeEach(() => ec2.reset());

  it('protects with a snapshot tagged for the project, checkpoint and volume, records it and waits until it is completed', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1', AvailabilityZone: 'eu-west-1a', VolumeType: 'gp3', Size: 8 }] });
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-1' });
    ec2.on(DescribeSnapshotsCommand, BY_CHECKPOINT).resolves({ Snapshots: [] });
    ec2.on(DescribeSnapshotsCommand, { SnapshotIds: ['snap-1'] }).resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'completed' }] });
    const { ctx, bank } = pluginContext({ restoreId: undefined, parameters: { snapshot_name: 'nightly' } });
    // Act
    await plugin().protect(ctx, VOLUME);
    // Assess
    expect(ec2.commandCalls(DescribeVolumesCommand)[0].args[0].input).toEqual({ VolumeIds: ['vol-1'] });
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0].args[0].input).toEqual(BY_CHECKPOINT);
    expect(ec2.commandCalls(CreateSnapshotCommand)[0].args[0].input).toEqual({
      VolumeId: 'vol-1',
      Description: 'Karbor checkpoint cp-1',
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'nightly' }, ...KARBOR_TAGS] }],
    });
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[1].args[0].input).toEqual({ SnapshotIds: ['snap-1'] });
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/snapshot.json')!)).toEqual({
      snapshot_id: 'snap-1',
      volume_id: 'vol-1',
      availability_zone: 'eu-west-1a',
      volume_type: 'gp3',
      size: 8,
    });
  });

  it('after a crash between CreateSnapshot and the bank, the retry finds the tagged snapshot and creates no second one', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1' }] });
    ec2.on(DescribeSnapshotsCommand, BY_CHECKPOINT).resolves({ Snapshots: [{ SnapshotId: 'snap-early', State: 'pending' }] });
    ec2.on(DescribeSnapshotsCommand, { SnapshotIds: ['snap-early'] }).resolves({ Snapshots: [{ SnapshotId: 'snap-early', State: 'completed' }] });
    const { ctx, bank } = pluginContext();
    // Act
    await plugin().protect(ctx, VOLUME);
    // Assess
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/snapshot.json')!).snapshot_id).toBe('snap-early');
  });

  it('fails the resource when the snapshot ends in error', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1' }] });
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-1' });
    ec2.on(DescribeSnapshotsCommand, BY_CHECKPOINT).resolves({ Snapshots: [] });
    ec2.on(DescribeSnapshotsCommand, { SnapshotIds: ['snap-1'] }).resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'error' }] });
    const { ctx } = pluginContext();
    // Act / Assess
    await expect(plugin().protect(ctx, VOLUME)).rejects.toThrow();
  });

  it('fails the resource when the volume does not exist', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    const { ctx } = pluginContext();
    // Act / Assess
    await expect(plugin().protect(ctx, VOLUME)).rejects.toThrow('volume vol-1 not found');
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
  });

  it('restores a new tagged volume from the snapshot, with the restore parameters over the saved ones', async () => {
    // Prepare
    const byRestore = {
      Filters: [
        { Name: 'tag:karbor:restore', Values: ['rrrrrrrr-1111'] },
        { Name: 'tag:karbor:resource', Values: ['vol-1'] },
      ],
    };
    ec2.on(DescribeVolumesCommand, byRestore).resolves({ Volumes: [] });
    ec2.on(CreateVolumeCommand).resolves({ VolumeId: 'vol-2' });
    ec2.on(DescribeVolumesCommand, { VolumeIds: ['vol-2'] }).resolves({ Volumes: [{ VolumeId: 'vol-2', State: 'available' }] });
    const { ctx, progress } = pluginContext({ parameters: { availability_zone: 'eu-west-1b', restore_name: 'again' } });
    await ctx.bank.put('snapshot.json', JSON.stringify({ snapshot_id: 'snap-1', volume_id: 'vol-1', availability_zone: 'eu-west-1a', volume_type: 'gp3' }));
    // Act
    const result = await plugin().restore(ctx, VOLUME);
    // Assess
    expect(result).toEqual({ id: 'vol-2' });
    expect(ec2.commandCalls(DescribeVolumesCommand)[0].args[0].input).toEqual(byRestore);
    expect(ec2.commandCalls(CreateVolumeCommand)[0].args[0].input).toEqual({
      SnapshotId: 'snap-1',
      AvailabilityZone: 'eu-west-1b',
      VolumeType: 'gp3',
      TagSpecifications: [
        { ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'again' }, ...KARBOR_TAGS, { Key: 'karbor:restore', Value: 'rrrrrrrr-1111' }] },
      ],
    });
    expect(progress.map((p) => p[0])).toEqual(['restoring', 'available']);
  });

  it('a retried restore waits for the volume its crashed attempt created instead of creating another', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-2', State: 'available' }] });
    const { ctx } = pluginContext();
    await ctx.bank.put('snapshot.json', JSON.stringify({ snapshot_id: 'snap-1', volume_id: 'vol-1' }));
    // Act
    const result = await plugin().restore(ctx, VOLUME);
    // Assess
    expect(result).toEqual({ id: 'vol-2' });
    expect(ec2.commandCalls(CreateVolumeCommand)).toHaveLength(0);
  });

  it('deletes the recorded snapshot and any other the checkpoint tagged, counting an already deleted one as done', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand, BY_CHECKPOINT).resolves({ Snapshots: [{ SnapshotId: 'snap-1' }, { SnapshotId: 'snap-stray' }] });
    ec2.on(DeleteSnapshotCommand, { SnapshotId: 'snap-1' }).rejects(Object.assign(new Error('gone'), { name: 'InvalidSnapshot.NotFound' }));
    ec2.on(DeleteSnapshotCommand, { SnapshotId: 'snap-stray' }).resolves({});
    const { ctx } = pluginContext();
    await ctx.bank.put('snapshot.json', JSON.stringify({ snapshot_id: 'snap-1', volume_id: 'vol-1' }));
    // Act
    await plugin().delete(ctx, VOLUME);
    // Assess
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input)).toEqual([{ SnapshotId: 'snap-1' }, { SnapshotId: 'snap-stray' }]);
  });

  it('names the snapshot it could not delete', async () => {
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1' }] });
    ec2.on(DeleteSnapshotCommand).rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' }));
    const { ctx } = pluginContext();
    await expect(plugin().delete(ctx, VOLUME)).rejects.toThrow('could not remove snapshot snap-1: not authorized');
  });
});
