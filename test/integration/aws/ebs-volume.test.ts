import { CreateVolumeCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ebsVolumePlugin } from '../../../shared/features/protection/adapters/plugins/ebs-volume';
import { describeMoto, type Moto, startMoto, tagsOf } from '../../support/moto';
import { pluginContext } from '../../support/plugin-context';

// moto's OwnerIds ['self'] also returns its ~1000 AMI snapshots: the test looks at its volume's snapshots.
const ofVolume = (id: string) => new DescribeSnapshotsCommand({ Filters: [{ Name: 'volume-id', Values: [id] }] });

describeMoto('EBS volume plugin against moto_server', () => {
  let moto: Moto;
  let ec2: EC2Client;
  beforeAll(async () => {
    moto = await startMoto();
    ec2 = new EC2Client(moto.clientConfig);
  });
  afterAll(async () => {
    ec2?.destroy();
    await moto?.stop();
  });

  it('protects a volume with a tagged snapshot, restores a volume from it and deletes the snapshot', async () => {
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 8, VolumeType: 'gp3' }));
    const resource = { type: 'AWS::EC2::Volume', id: VolumeId!, name: 'data', extraInfo: null };
    const plugin = ebsVolumePlugin(ec2, { projectTagKey: 'team' });
    const { ctx } = pluginContext({ restoreId: undefined, parameters: { snapshot_name: 'nightly' } });

    await plugin.protect(ctx, resource);
    const { Snapshots = [] } = await ec2.send(ofVolume(VolumeId!));
    expect(Snapshots).toHaveLength(1);
    expect(Snapshots[0]).toMatchObject({ VolumeId, State: 'completed', Description: 'Karbor checkpoint cp-1' });
    expect(tagsOf(Snapshots[0].Tags)).toEqual({ Name: 'nightly', team: 'p1', 'karbor:checkpoint': 'cp-1', 'karbor:resource': VolumeId });
    expect(JSON.parse((await ctx.bank.get('snapshot.json'))!)).toEqual({
      snapshot_id: Snapshots[0].SnapshotId,
      volume_id: VolumeId,
      availability_zone: 'eu-west-1a',
      volume_type: 'gp3',
      size: 8,
    });

    // A retried protect finds the tagged snapshot: moto still holds one.
    await plugin.protect(ctx, resource);
    expect((await ec2.send(ofVolume(VolumeId!))).Snapshots).toHaveLength(1);

    const restoreCtx = { ...ctx, restoreId: 'rrrrrrrr-1111' };
    const restored = await plugin.restore(restoreCtx, resource);
    const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [restored!.id!] }));
    expect(Volumes[0]).toMatchObject({ SnapshotId: Snapshots[0].SnapshotId, AvailabilityZone: 'eu-west-1a', VolumeType: 'gp3', Size: 8, State: 'available' });
    expect(tagsOf(Volumes[0].Tags)).toMatchObject({ Name: `restore of ${VolumeId}`, team: 'p1', 'karbor:resource': VolumeId });

    await plugin.delete(ctx, resource);
    expect((await ec2.send(ofVolume(VolumeId!))).Snapshots).toEqual([]);
    // A second delete finds the snapshot gone and succeeds.
    await plugin.delete(ctx, resource);
  });
});
