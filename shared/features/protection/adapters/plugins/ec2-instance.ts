import {
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  type EC2Client,
  RunInstancesCommand,
  type _InstanceType,
  waitUntilImageAvailable,
  waitUntilInstanceRunning,
} from '@aws-sdk/client-ec2';
import type { ProtectionPlugin } from '../../plugins';

/**
 * `AWS::EC2::Instance`: an AMI of the instance (its EBS volumes become the
 * image's snapshots; attached volumes are also protected on their own as the
 * instance's dependents); a restore launches a new instance from the AMI.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html
 */
interface SavedInstance {
  image_id: string;
  instance_type?: string;
  subnet_id?: string;
  snapshot_ids: string[];
}

export const ec2InstancePlugin = (ec2: EC2Client, opts: { maxWaitSeconds?: number } = {}): ProtectionPlugin => {
  const maxWaitTime = opts.maxWaitSeconds ?? 3600;
  return {
    async protect(ctx, resource) {
      const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [resource.id] }));
      const instance = described.Reservations?.[0]?.Instances?.[0];
      if (!instance) throw new Error(`instance ${resource.id} not found`);
      const image = await ec2.send(
        new CreateImageCommand({
          InstanceId: resource.id,
          Name: ctx.parameters.image_name ?? `karbor-${ctx.checkpointId}-${resource.id}`,
          // Karbor's options are strings: only an explicit "False" reboots the instance.
          NoReboot: ctx.parameters.no_reboot !== 'False',
          TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'karbor:checkpoint', Value: ctx.checkpointId }] }],
        }),
      );
      const imageId = image.ImageId!;
      const saved: SavedInstance = { image_id: imageId, instance_type: instance.InstanceType, subnet_id: instance.SubnetId, snapshot_ids: [] };
      await ctx.bank.put('image.json', JSON.stringify(saved));
      await ctx.progress('protecting', `image ${imageId} started`);
      await waitUntilImageAvailable({ client: ec2, maxWaitTime }, { ImageIds: [imageId] });
      const { Images = [] } = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
      saved.snapshot_ids = (Images[0]?.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
      await ctx.bank.put('image.json', JSON.stringify(saved));
    },

    async restore(ctx, resource) {
      const text = await ctx.bank.get('image.json');
      if (text === undefined) throw new Error(`checkpoint holds no image of instance ${resource.id}`);
      const saved = JSON.parse(text) as SavedInstance;
      await ctx.progress('restoring');
      const run = await ec2.send(
        new RunInstancesCommand({
          ImageId: saved.image_id,
          InstanceType: (ctx.parameters.instance_type ?? saved.instance_type) as _InstanceType | undefined,
          SubnetId: ctx.parameters.subnet_id ?? saved.subnet_id,
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: ctx.parameters.restore_name ?? `restore of ${resource.id}` }] }],
        }),
      );
      const instanceId = run.Instances?.[0]?.InstanceId;
      if (!instanceId) throw new Error('RunInstances returned no instance');
      await waitUntilInstanceRunning({ client: ec2, maxWaitTime }, { InstanceIds: [instanceId] });
      await ctx.progress('available');
      return { id: instanceId };
    },

    async delete(ctx) {
      const text = await ctx.bank.get('image.json');
      if (text === undefined) return;
      const saved = JSON.parse(text) as SavedInstance;
      await ec2.send(new DeregisterImageCommand({ ImageId: saved.image_id }));
      for (const snapshotId of saved.snapshot_ids) await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    },
  };
};
