import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type VolumeType,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import type { ProtectionPlugin } from '../../plugins';

/**
 * `AWS::EC2::Volume`: an EBS snapshot; a restore creates a volume from it.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshot.html
 */
interface SavedVolume {
  snapshot_id: string;
  volume_id: string;
  availability_zone?: string;
  volume_type?: string;
  size?: number;
}

const tags = (resourceType: 'snapshot' | 'volume', name: string, checkpointId: string) => [
  {
    ResourceType: resourceType,
    Tags: [
      { Key: 'Name', Value: name },
      { Key: 'karbor:checkpoint', Value: checkpointId },
    ],
  },
];

export const ebsVolumePlugin = (ec2: EC2Client, opts: { maxWaitSeconds?: number } = {}): ProtectionPlugin => {
  const maxWaitTime = opts.maxWaitSeconds ?? 3600;
  return {
    async protect(ctx, resource) {
      const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [resource.id] }));
      const volume = Volumes[0];
      if (!volume) throw new Error(`volume ${resource.id} not found`);
      const name = ctx.parameters.snapshot_name ?? `karbor-${ctx.checkpointId}-${resource.id}`;
      const snapshot = await ec2.send(
        new CreateSnapshotCommand({
          VolumeId: resource.id,
          Description: ctx.parameters.description ?? `Karbor checkpoint ${ctx.checkpointId}`,
          TagSpecifications: tags('snapshot', name, ctx.checkpointId),
        }),
      );
      const snapshotId = snapshot.SnapshotId!;
      // Recorded before waiting, so a delete can clean up even if the wait fails.
      const saved: SavedVolume = {
        snapshot_id: snapshotId,
        volume_id: resource.id,
        availability_zone: volume.AvailabilityZone,
        volume_type: volume.VolumeType,
        size: volume.Size,
      };
      await ctx.bank.put('snapshot.json', JSON.stringify(saved));
      await ctx.progress('protecting', `snapshot ${snapshotId} started`);
      await waitUntilSnapshotCompleted({ client: ec2, maxWaitTime }, { SnapshotIds: [snapshotId] });
    },

    async restore(ctx, resource) {
      const text = await ctx.bank.get('snapshot.json');
      if (text === undefined) throw new Error(`checkpoint holds no snapshot of volume ${resource.id}`);
      const saved = JSON.parse(text) as SavedVolume;
      await ctx.progress('restoring');
      const created = await ec2.send(
        new CreateVolumeCommand({
          SnapshotId: saved.snapshot_id,
          AvailabilityZone: ctx.parameters.availability_zone ?? saved.availability_zone,
          VolumeType: (ctx.parameters.volume_type ?? saved.volume_type) as VolumeType | undefined,
          TagSpecifications: tags('volume', ctx.parameters.restore_name ?? `restore of ${resource.id}`, ctx.checkpointId),
        }),
      );
      const volumeId = created.VolumeId!;
      await waitUntilVolumeAvailable({ client: ec2, maxWaitTime }, { VolumeIds: [volumeId] });
      await ctx.progress('available');
      return { id: volumeId };
    },

    async delete(ctx) {
      const text = await ctx.bank.get('snapshot.json');
      if (text === undefined) return;
      const saved = JSON.parse(text) as SavedVolume;
      try {
        await ec2.send(new DeleteSnapshotCommand({ SnapshotId: saved.snapshot_id }));
      } catch (error) {
        // Already gone is what we wanted.
        if ((error as { name?: string }).name !== 'InvalidSnapshot.NotFound') throw error;
      }
    },
  };
};
