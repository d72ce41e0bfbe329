import {
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { copyInstanceImage, copyVolumeSnapshot, type Ec2CopyTarget } from '../../../shared/features/protection/adapters/plugins/ec2-copy';
import { ebsVolumePlugin } from '../../../shared/features/protection/adapters/plugins/ebs-volume';
import { ec2InstancePlugin } from '../../../shared/features/protection/adapters/plugins/ec2-instance';
import { describeMoto, type Moto, startMoto, tagsOf } from '../../support/moto';
import { pluginContext } from '../../support/plugin-context';

const HOME = 'eu-west-1';
const DR = 'us-west-2';

/** The copy `cp-2` of checkpoint `cp-1` (`source`'s context), to destination `dr`, in a bank of its own. */
const copyContext = (source: ReturnType<typeof pluginContext>['ctx']) =>
  pluginContext({ checkpointId: 'cp-2', restoreId: undefined, location: 'dr', copyOf: { checkpointId: 'cp-1', bank: source.bank, destination: 'dr' } });

// moto's OwnerIds ['self'] also lists its AMI snapshots: the test looks at snapshots by id or by the copy's tag.
const copiesOf = (checkpointId: string) => new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag:karbor:checkpoint', Values: [checkpointId] }] });

describeMoto('EC2 copies to another Region against moto_server (same account)', () => {
  let moto: Moto;
  let home: EC2Client;
  let dr: EC2Client;
  let target: Ec2CopyTarget;
  beforeAll(async () => {
    moto = await startMoto(HOME);
    home = new EC2Client(moto.clientConfig);
    dr = new EC2Client({ ...moto.clientConfig, region: DR });
    target = { destination: { name: 'dr', region: DR }, target: dr, source: home, projectTagKey: 'team' };
  });
  afterAll(async () => {
    home?.destroy();
    dr?.destroy();
    await moto?.stop();
  });

  it('copies a volume snapshot into the destination Region, resumes without a second copy, restores there and deletes only the copy', async () => {
    // Prepare: a protected volume in the home Region.
    const { VolumeId } = await home.send(new CreateVolumeCommand({ AvailabilityZone: `${HOME}b`, Size: 8, VolumeType: 'gp3' }));
    const resource = { type: 'AWS::EC2::Volume', id: VolumeId!, name: 'data', extraInfo: null };
    const source = pluginContext({ restoreId: undefined });
    await ebsVolumePlugin(home, { projectTagKey: 'team' }).protect(source.ctx, resource);
    const sourceId = JSON.parse((await source.ctx.bank.get('snapshot.json'))!).snapshot_id as string;
    const copy = copyContext(source.ctx);

    // Act
    await copyVolumeSnapshot(target)(copy.ctx, resource);

    // Assess: one completed copy in the destination, tagged as the copy's, named in the copy's bank record.
    const { Snapshots = [] } = await dr.send(copiesOf('cp-2'));
    expect(Snapshots).toHaveLength(1);
    expect(Snapshots[0]).toMatchObject({ State: 'completed', Description: `Karbor copy cp-2 of ${sourceId}` });
    expect(tagsOf(Snapshots[0].Tags)).toEqual({ Name: `karbor-cp-2-${VolumeId}`, team: 'p1', 'karbor:checkpoint': 'cp-2', 'karbor:resource': VolumeId });
    expect(JSON.parse((await copy.ctx.bank.get('snapshot.json'))!)).toEqual({
      snapshot_id: Snapshots[0].SnapshotId,
      region: DR,
      source_snapshot_id: sourceId,
      volume_id: VolumeId,
      availability_zone: `${DR}b`,
      volume_type: 'gp3',
      size: 8,
    });
    expect((await home.send(copiesOf('cp-2'))).Snapshots).toEqual([]);
    // The copy records the key of its own snapshot, the destination's (docs/decisions.md §27; moto names no KmsKeyId).
    expect(Object.keys(JSON.parse((await copy.ctx.bank.get('keys.json'))!))).toEqual([Snapshots[0].SnapshotId]);

    // Act: a worker killed mid-copy runs it again with none of its steps recorded, over the same bank.
    const resumed = pluginContext({ ...copy.ctx, steps: pluginContext().ctx.steps });
    await copyVolumeSnapshot(target)(resumed.ctx, resource);
    // Assess: the copy it started is found by its tags, not made twice.
    expect((await dr.send(copiesOf('cp-2'))).Snapshots?.map((s) => s.SnapshotId)).toEqual([Snapshots[0].SnapshotId]);

    // Act: the copy's restore and delete, by the plugin with the destination's client.
    const there = ebsVolumePlugin(dr, { projectTagKey: 'team' });
    const restored = await there.restore({ ...copy.ctx, restoreId: 'rrrrrrrr-2222' }, resource);
    await there.delete(copy.ctx, resource);

    // Assess: the volume is made in the destination from the copy; the delete removed the copy and left the source.
    const { Volumes = [] } = await dr.send(new DescribeVolumesCommand({ VolumeIds: [restored.id!] }));
    expect(Volumes[0]).toMatchObject({ SnapshotId: Snapshots[0].SnapshotId, AvailabilityZone: `${DR}b`, State: 'available' });
    expect((await dr.send(copiesOf('cp-2'))).Snapshots).toEqual([]);
    expect((await home.send(new DescribeSnapshotsCommand({ SnapshotIds: [sourceId] }))).Snapshots).toHaveLength(1);
  });

  it('copies an image into the destination Region with its snapshots, and the copy delete removes them there', async () => {
    // Prepare: an instance imaged in the home Region.
    const { Images: amazon = [] } = await home.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    const run = await home.send(new RunInstancesCommand({ ImageId: amazon[0].ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    const instanceId = run.Instances![0].InstanceId!;
    const resource = { type: 'AWS::EC2::Instance', id: instanceId, name: 'web', extraInfo: null };
    const source = pluginContext({ restoreId: undefined });
    // moto 5.2 refuses snapshot TagSpecifications on CreateImage (ec2-instance.test.ts): the source image is written into the bank as the plugin records it.
    const { CreateImageCommand } = await import('@aws-sdk/client-ec2');
    const { ImageId: sourceImage } = await home.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'web-src' }));
    await source.ctx.bank.put('image.json', JSON.stringify({ image_id: sourceImage, instance_type: 't3.micro', subnet_id: 'subnet-home', snapshot_ids: [] }));
    const copy = copyContext(source.ctx);

    // Act
    await copyInstanceImage(target)(copy.ctx, resource);

    // Assess: an available image in the destination, its snapshots recorded (no home subnet) in the copy's bank.
    const record = JSON.parse((await copy.ctx.bank.get('image.json'))!);
    expect(record).toEqual({
      image_id: expect.stringMatching(/^ami-/),
      instance_type: 't3.micro',
      snapshot_ids: expect.any(Array),
      region: DR,
      source_image_id: sourceImage,
    });
    const { Images = [] } = await dr.send(new DescribeImagesCommand({ ImageIds: [record.image_id] }));
    expect(Images[0]).toMatchObject({ State: 'available', Name: `karbor-cp-2-${instanceId}` });
    expect(record.snapshot_ids.length).toBeGreaterThan(0);
    expect((await dr.send(new DescribeSnapshotsCommand({ SnapshotIds: record.snapshot_ids }))).Snapshots).toHaveLength(record.snapshot_ids.length);

    // Act: the copy's delete in the destination.
    await ec2InstancePlugin(dr, { projectTagKey: 'team' }).delete(copy.ctx, resource);

    // Assess: image and snapshots gone there; the source image stays at home.
    const gone = await dr.send(new DescribeImagesCommand({ Filters: [{ Name: 'image-id', Values: [record.image_id] }] }));
    expect(gone.Images ?? []).toEqual([]);
    const left = await dr.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'snapshot-id', Values: record.snapshot_ids }] }));
    expect(left.Snapshots ?? []).toEqual([]);
    expect((await home.send(new DescribeImagesCommand({ ImageIds: [sourceImage!] }))).Images).toHaveLength(1);
  }, 120_000);
});
