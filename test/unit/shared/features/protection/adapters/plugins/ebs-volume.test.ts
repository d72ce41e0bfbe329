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

describe('EBS volume plugin', () => {
  beforeEach(() => ec2.reset());

  it('protects with a tagged snapshot, records it in the bank and waits until it is completed', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1', AvailabilityZone: 'eu-west-1a', VolumeType: 'gp3', Size: 8 }] });
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-1' });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'completed' }] });
    const { ctx, bank } = pluginContext({ parameters: { snapshot_name: 'nightly' } });
    // Act
    await ebsVolumePlugin(client()).protect(ctx, VOLUME);
    // Assess
    expect(ec2.commandCalls(DescribeVolumesCommand)[0].args[0].input).toEqual({ VolumeIds: ['vol-1'] });
    expect(ec2.commandCalls(CreateSnapshotCommand)[0].args[0].input).toEqual({
      VolumeId: 'vol-1',
      Description: 'Karbor checkpoint cp-1',
      TagSpecifications: [
        {
          ResourceType: 'snapshot',
          Tags: [
            { Key: 'Name', Value: 'nightly' },
            { Key: 'karbor:checkpoint', Value: 'cp-1' },
          ],
        },
      ],
    });
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0].args[0].input).toEqual({ SnapshotIds: ['snap-1'] });
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/snapshot.json')!)).toEqual({
      snapshot_id: 'snap-1',
      volume_id: 'vol-1',
      availability_zone: 'eu-west-1a',
      volume_type: 'gp3',
      size: 8,
    });
  });

  it('fails the resource when the snapshot ends in error', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1' }] });
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-1' });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'error' }] });
    const { ctx } = pluginContext();
    // Act / Assess
    await expect(ebsVolumePlugin(client()).protect(ctx, VOLUME)).rejects.toThrow();
  });

  it('fails the resource when the volume does not exist', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    const { ctx } = pluginContext();
    // Act / Assess
    await expect(ebsVolumePlugin(client()).protect(ctx, VOLUME)).rejects.toThrow('volume vol-1 not found');
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
  });

  it('restores a new volume from the snapshot, with the restore parameters over the saved ones', async () => {
    // Prepare
    ec2.on(CreateVolumeCommand).resolves({ VolumeId: 'vol-2' });
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-2', State: 'available' }] });
    const { ctx, progress } = pluginContext({ parameters: { availability_zone: 'eu-west-1b', restore_name: 'again' } });
    await ctx.bank.put('snapshot.json', JSON.stringify({ snapshot_id: 'snap-1', volume_id: 'vol-1', availability_zone: 'eu-west-1a', volume_type: 'gp3' }));
    // Act
    const result = await ebsVolumePlugin(client()).restore(ctx, VOLUME);
    // Assess
    expect(result).toEqual({ id: 'vol-2' });
    expect(ec2.commandCalls(CreateVolumeCommand)[0].args[0].input).toEqual({
      SnapshotId: 'snap-1',
      AvailabilityZone: 'eu-west-1b',
      VolumeType: 'gp3',
      TagSpecifications: [
        {
          ResourceType: 'volume',
          Tags: [
            { Key: 'Name', Value: 'again' },
            { Key: 'karbor:checkpoint', Value: 'cp-1' },
          ],
        },
      ],
    });
    expect(ec2.commandCalls(DescribeVolumesCommand)[0].args[0].input).toEqual({ VolumeIds: ['vol-2'] });
    expect(progress.map((p) => p[0])).toEqual(['restoring', 'available']);
  });

  it('deletes the snapshot, and counts an already deleted one as done', async () => {
    // Prepare
    const gone = Object.assign(new Error('gone'), { name: 'InvalidSnapshot.NotFound' });
    ec2.on(DeleteSnapshotCommand).rejects(gone);
    const { ctx } = pluginContext();
    await ctx.bank.put('snapshot.json', JSON.stringify({ snapshot_id: 'snap-1', volume_id: 'vol-1' }));
    // Act
    await ebsVolumePlugin(client()).delete(ctx, VOLUME);
    // Assess
    expect(ec2.commandCalls(DeleteSnapshotCommand)[0].args[0].input).toEqual({ SnapshotId: 'snap-1' });
  });
});
