import {
  CreateImageCommand,
  type CreateImageCommandInput,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ec2InstancePlugin } from '../../../shared/features/protection/adapters/plugins/ec2-instance';
import { describeMoto, type Moto, tagsOf, useMoto } from '../../support/moto';
import { pluginContext } from '../../support/plugin-context';

const KARBOR = (instanceId: string) => ({ team: 'p1', 'karbor:checkpoint': 'cp-1', 'karbor:resource': instanceId });

/**
 * moto 5.2 answers a CreateImage whose TagSpecifications tag the image's
 * snapshots with a 500 (NotImplementedError): this client records what the
 * plugin sent and passes the rest on, so the image tags are moto's and the
 * snapshot tags are asserted as sent.
 */
const withoutSnapshotTags = (config: Moto['clientConfig']) => {
  const client = new EC2Client(config);
  const sent: CreateImageCommandInput[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'CreateImageCommand') return next(args);
      const input = args.input as CreateImageCommandInput;
      sent.push(input);
      return next({ ...args, input: { ...input, TagSpecifications: input.TagSpecifications?.filter((t) => t.ResourceType !== 'snapshot') } });
    },
    { step: 'initialize', name: 'withoutSnapshotTags' },
  );
  return Object.assign(client, { sent });
};

describeMoto('EC2 instance plugin against moto_server', () => {
  const aws = useMoto(withoutSnapshotTags);
  const ownImages = async () => (await aws.client.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
  const launch = async () => {
    // moto ships public AMIs: the instance to protect starts from one of them.
    const { Images = [] } = await aws.client.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    const run = await aws.client.send(new RunInstancesCommand({ ImageId: Images[0].ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    return run.Instances![0];
  };

  // moto answers EC2 slowly on a busy machine (its DescribeImages lists ~1000 public AMIs): two minutes, not the default 30 s.
  it('protects an instance with a tagged AMI, launches a tagged instance from it, and deletes the AMI and its snapshots', async () => {
    // Prepare
    const { client } = aws;
    const instance = await launch();
    const resource = { type: 'AWS::EC2::Instance', id: instance.InstanceId!, name: 'web', extraInfo: null };
    const plugin = ec2InstancePlugin(client, { projectTagKey: 'team' });
    const { ctx } = pluginContext({ restoreId: undefined, parameters: { image_name: 'web-nightly' } });

    // Act: protect
    await plugin.protect(ctx, resource);

    // Assess: one available AMI of the instance, named and tagged; its snapshots recorded in the bank
    const images = await ownImages();
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ Name: 'web-nightly', State: 'available' });
    expect(tagsOf(images[0].Tags)).toEqual(KARBOR(instance.InstanceId!));
    expect(client.sent.map((i) => i.TagSpecifications?.map((t) => [t.ResourceType, tagsOf(t.Tags)]))).toEqual([
      [
        ['image', KARBOR(instance.InstanceId!)],
        ['snapshot', KARBOR(instance.InstanceId!)],
      ],
    ]);
    expect(client.sent[0]).toMatchObject({ InstanceId: instance.InstanceId, NoReboot: true });
    const snapshotIds = (images[0].BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
    expect(snapshotIds).toHaveLength(1);
    expect(JSON.parse((await ctx.bank.get('image.json'))!)).toEqual({
      image_id: images[0].ImageId,
      instance_type: 't3.micro',
      subnet_id: instance.SubnetId,
      snapshot_ids: snapshotIds,
    });

    // A retried protect finds the tagged AMI: moto still holds one.
    await plugin.protect(ctx, resource);
    expect(await ownImages()).toHaveLength(1);

    // Act: restore
    const restoreCtx = { ...ctx, restoreId: 'rrrrrrrr-1111', parameters: { restore_name: 'web-again', instance_type: 't3.small' } };
    const restored = await plugin.restore(restoreCtx, resource);

    // Assess: a running instance of the AMI, named and tagged by the restore
    const { Reservations = [] } = await client.send(new DescribeInstancesCommand({ InstanceIds: [restored!.id!] }));
    const launched = Reservations[0].Instances![0];
    expect(launched).toMatchObject({ ImageId: images[0].ImageId, InstanceType: 't3.small', SubnetId: instance.SubnetId, State: { Name: 'running' } });
    expect(tagsOf(launched.Tags)).toEqual({ Name: 'web-again', ...KARBOR(instance.InstanceId!), 'karbor:restore': 'rrrrrrrr-1111' });
    // A retried restore finds the instance it launched and launches no other.
    expect(await plugin.restore(restoreCtx, resource)).toEqual({ id: launched.InstanceId });
    const byRestore = new DescribeInstancesCommand({ Filters: [{ Name: 'tag:karbor:restore', Values: ['rrrrrrrr-1111'] }] });
    expect((await client.send(byRestore)).Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(1);

    // Prepare: an image a crashed attempt tagged but never recorded
    const stray = await client.send(
      new CreateImageCommand({
        InstanceId: instance.InstanceId,
        Name: 'stray',
        TagSpecifications: [{ ResourceType: 'image', Tags: Object.entries(KARBOR(instance.InstanceId!)).map(([Key, Value]) => ({ Key, Value })) }],
      }),
    );
    const straySnapshots = (await ownImages()).flatMap((i) => (i.ImageId === stray.ImageId ? (i.BlockDeviceMappings ?? []) : []));
    expect(straySnapshots).toHaveLength(1);

    // Act: delete
    await plugin.delete(ctx, resource);

    // Assess: both AMIs are deregistered and the recorded snapshots are gone; a second delete finds nothing and succeeds
    expect(await ownImages()).toEqual([]);
    const left = await client.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'snapshot-id', Values: snapshotIds }] }));
    expect(left.Snapshots).toEqual([]);
    await plugin.delete(ctx, resource);
  }, 120000);

  it('fails protect for an instance that does not exist and creates no image', async () => {
    const plugin = ec2InstancePlugin(aws.client, { projectTagKey: 'team' });
    const { ctx } = pluginContext({ restoreId: undefined });
    await expect(plugin.protect(ctx, { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0', name: 'gone', extraInfo: null })).rejects.toThrow();
    expect(await ownImages()).toEqual([]);
  });
});
